/**
 * The whole read model against the simulator, driven by the derived definitions: every listing, every
 * by-id read, every derived relation and every view answers without an error, with the records the
 * simulator holds, and with the upstream calls it should make.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, definitions } from '../../src/definitions/graph.js';
import type { RelationDefinition, ResourceDefinition } from '../../src/definitions/model.js';
import { naming } from '../../src/definitions/naming.js';
import { idsOf } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;
const topLevel = definitions.resources.filter((r) => !r.parents?.length && r.operations.list);

describe('every top-level listing and by-id read', () => {
  for (const def of topLevel) {
    const n = naming(def.name);
    it(`${n.plural} lists and pages through the records the simulator holds, and ${n.single}(id:) reads one back`, async () => {
      const held = idsOf(store().list(def.name));
      const res = await stack.gql(`{ ${n.plural}(first: 3) { nodes { id } pageInfo { hasNextPage } } }`);
      expect(res.errors).toBeUndefined();
      const ids = (res.data![n.plural].nodes as { id: string }[]).map((x) => x.id);
      expect(ids).toEqual(held.slice(0, 3));
      expect(res.data![n.plural].pageInfo.hasNextPage).toBe(held.length > 3);
      // Paging with `after` walks every record once, in the simulator's order.
      const walked: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page++) {
        const next: { data?: Record<string, any> | null; errors?: unknown } = await stack.gql(
          `query($after: String) { ${n.plural}(first: 7, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(next.errors).toBeUndefined();
        const conn = next.data![n.plural] as { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        walked.push(...conn.nodes.map((x) => x.id));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      expect(walked).toEqual(held);
      if (!def.operations.read || !held[0]) return;
      stack.sim.clearLog();
      const one = await stack.gql(`query($id: ID!) { ${n.single}(id: $id) { id __typename } }`, { id: held[0] });
      expect(one.errors).toBeUndefined();
      expect(one.data![n.single]).toEqual({ id: held[0], __typename: def.name });
      expect(stack.upstreamCalls()).toBe(1);
    });
  }
});

describe('every top-level listing filtered by a reference it holds', () => {
  for (const def of topLevel) {
    const n = naming(def.name);
    const keys = contract.resources[def.name]!.filters.filter((f) => !f.array && f.key.endsWith('Id') && f.schema.type !== 'array').map((f) => f.key);
    const [key] = keys;
    if (!key) continue;
    it(`${n.plural}(filter: { ${key} })`, async () => {
      const rows = store().list(def.name);
      const value = rows.map((r) => r[key]).find((v) => typeof v === 'number' || (typeof v === 'string' && v !== ''));
      if (value === undefined) return; // the records do not hold this reference (the simulator ignores the filter)
      const expectedIds = idsOf(rows.filter((r) => r[key] === value));
      const res = await stack.gql(`query($v: ID) { ${n.plural}(first: 100, filter: { ${key}: $v }) { nodes { id } } }`, { v: String(value as string | number) });
      expect(res.errors).toBeUndefined();
      expect((res.data![n.plural].nodes as { id: string }[]).map((x) => x.id)).toEqual(expectedIds);
    });
  }
});

/** A relation's selection: the target's id is always there. */
function selection(rel: RelationDefinition): string {
  if (rel.kind === 'one' || rel.shape === 'list' || rel.via) return `${rel.field} { id }`;
  return `${rel.field}(first: 2) { nodes { id } }`;
}

function ownerWithLinks(def: ResourceDefinition): Record<string, unknown> | undefined {
  return store().list(def.name)[0];
}

describe('every relation resolves on a record that has it', () => {
  for (const def of definitions.resources) {
    if (def.parents?.length || !def.operations.read || !def.relations.length) continue;
    const n = naming(def.name);
    it(`${def.name}: ${def.relations.map((r) => r.field).join(', ')}`, async () => {
      const owner = ownerWithLinks(def);
      if (!owner) return;
      const res = await stack.gql(`query($id: ID!) { ${n.single}(id: $id) { id ${def.relations.map(selection).join(' ')} } }`, { id: String(owner.id) });
      expect(res.errors).toBeUndefined();
      const record = res.data![n.single] as Record<string, any>;
      expect(record.id).toBe(String(owner.id));
      for (const rel of def.relations) {
        if (rel.kind !== 'one' || !rel.via || rel.via.includes('.')) continue;
        const held = owner[rel.via];
        // A to-one link follows the stored id: the id the record holds, or null when it holds none.
        if (held === null || held === undefined) expect(record[rel.field], `${def.name}.${rel.field}`).toBeNull();
        else expect(record[rel.field]?.id, `${def.name}.${rel.field}`).toBe(String(held as string | number));
      }
    });
  }
});

describe('each relation alone costs what it should upstream', () => {
  /** Calls a relation adds to its owner's read, selecting only the target's id. */
  const expected = (rel: RelationDefinition, owner: Record<string, unknown>): [number, number] => {
    if (rel.kind === 'one') return [0, 0]; // the id is on the owner: no call
    if (rel.include) return [0, 0]; // embedded in the owner's read
    if (rel.via) {
      const ids = owner[rel.via];
      const n = Array.isArray(ids) ? new Set(ids).size : 0;
      // Each id read once, or one scan of the collection when that is cheaper.
      return [Math.min(n, 1), n];
    }
    return [1, 1]; // one listing page (filtered, or under the owner's path)
  };
  for (const def of definitions.resources) {
    if (def.parents?.length || !def.operations.read) continue;
    for (const rel of def.relations) {
      it(`${def.name}.${rel.field}`, async () => {
        const owner = store().list(def.name)[0];
        if (!owner) return;
        stack.sim.clearLog();
        const n = naming(def.name);
        const res = await stack.gql(`query($id: ID!) { ${n.single}(id: $id) { id ${selection(rel)} } }`, { id: String(owner.id) });
        expect(res.errors).toBeUndefined();
        const [min, max] = expected(rel, owner);
        const calls = stack.upstreamCalls() - 1;
        expect(calls, `${def.name}.${rel.field}: calls besides the owner's read`).toBeGreaterThanOrEqual(min);
        expect(calls, `${def.name}.${rel.field}: calls besides the owner's read`).toBeLessThanOrEqual(max);
      });
    }
  }
});

describe('every view answers on an owner that exists', () => {
  for (const view of definitions.views) {
    const owner = view.owner;
    it(`${owner ?? 'Query'}.${view.field}${view.args.length ? ' (by argument: exercised by the simulator tests)' : ''}`, async () => {
      if (view.args.length) return;
      // A view of an entity's records reads them whole (FirmwareVersion.models lists ids, read back one by one).
      const node = view.ownsType ? '__typename' : 'id __typename';
      const inner = view.shape === 'connection' ? `${view.field}(first: 2) { nodes { ${node} } pageInfo { hasNextPage } }` : `${view.field} { ${node} }`;
      if (!owner) {
        const res = await stack.gql(`{ ${inner} }`);
        expect(res.errors).toBeUndefined();
        expect(res.data![view.field]).not.toBeNull();
        return;
      }
      const record = store().list(owner)[0];
      expect(record, `a ${owner} in the simulator`).toBeDefined();
      const n = naming(owner);
      const def = definitions.resources.find((r) => r.name === owner)!;
      const parentArg = def.parents?.length ? '' : '';
      const res = await stack.gql(`query($id: ID!) { ${n.single}(id: $id${parentArg}) { ${inner} } }`, { id: String(record!.id) });
      expect(res.errors).toBeUndefined();
      const value = (res.data![n.single] as Record<string, unknown>)[view.field];
      expect(value).not.toBeNull();
      if (view.shape === 'list') expect(Array.isArray(value)).toBe(true);
    });
  }
});
