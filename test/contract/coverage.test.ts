/**
 * Read coverage of AMPECO's contract, measured on the contract itself: every current (non-deprecated)
 * GET must be reached by some field of the graph, and every field of a current record must be a field
 * of its GraphQL type. Gaps fail by name; the few deliberate ones are allow-listed with a reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { getNamedType, isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordOf, indexOperations, type OpenApiDocument } from '../../scripts/contract/extract.js';
import { openApiPath } from '../../scripts/generate-contract.js';
import { definitions } from '../../src/definitions/graph.js';
import { omissions, servedBy } from '../../src/definitions/overlay.js';
import { graphqlFieldName } from '../../src/definitions/naming.js';
import { buildSchema } from '../../src/server.js';

/** GETs no field reaches, on purpose. Keyed by operationId. */
const UNREACHED: Record<string, string> = {
  chargePointEvsesListing: "Served by the EVSE resource (evses v2.1): `ChargePoint.evses` reads it filtered by charge point (overlay.servedBy).",
  chargePointEvseRead: 'The same EVSE as `evse(id:)` reads through evses v2.1 (overlay.servedBy).',
};

const hasContract = existsSync(openApiPath);

describe.skipIf(!hasContract)('read coverage of the contract', () => {
  let doc: OpenApiDocument;
  let schema: GraphQLSchema;
  beforeAll(() => {
    doc = JSON.parse(readFileSync(openApiPath, 'utf8')) as OpenApiDocument;
    schema = buildSchema();
  });

  it('every current GET is reached by a field (allow-list aside)', () => {
    const reached = new Set<string>([
      ...definitions.resources.flatMap((r) => [r.operations.list, r.operations.read]).filter((o): o is string => Boolean(o)),
      ...definitions.views.map((v) => v.operationId),
    ]);
    const gets = [...indexOperations(doc).values()].filter((op) => op.method === 'GET' && !op.deprecated && !op.path.includes('/actions/'));
    expect(gets.length).toBeGreaterThan(100);
    const gaps = gets.filter((op) => !reached.has(op.operationId) && !UNREACHED[op.operationId]).map((op) => `${op.operationId} (GET ${op.path})`);
    expect(gaps).toEqual([]);
    // Every allow-listed GET exists and is really not reached: the list cannot go stale.
    for (const operationId of Object.keys(UNREACHED)) {
      expect(gets.some((op) => op.operationId === operationId), `${operationId} is in the contract`).toBe(true);
      expect(reached.has(operationId), `${operationId} is reached after all: drop it from UNREACHED`).toBe(false);
    }
    expect(Object.keys(servedBy).length).toBeGreaterThan(0);
  });

  it('every field of a current record is a field of its type (omissions aside)', () => {
    const index = indexOperations(doc);
    const gaps: string[] = [];
    const check = (typeName: string, record: ReturnType<typeof recordOf>): void => {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) {
        gaps.push(`${typeName}: no object type`);
        return;
      }
      const fields = type.getFields();
      for (const prop of Object.keys(record?.properties ?? {})) {
        if (omissions[typeName]?.[prop]) continue;
        if (!fields[prop] && !fields[graphqlFieldName(prop)]) gaps.push(`${typeName}.${prop}`);
      }
    };
    for (const r of definitions.resources) {
      const read = r.operations.read ? recordOf(index.get(r.operations.read), 'read') : undefined;
      const list = r.operations.list ? recordOf(index.get(r.operations.list), 'list') : undefined;
      check(r.name, read ?? list);
    }
    for (const v of definitions.views) {
      if (!v.ownsType) continue;
      check(v.type, recordOf(index.get(v.operationId), v.shape === 'object' ? 'read' : 'list'));
    }
    expect(gaps).toEqual([]);
  });

  it('every current write is a mutation, and every field of its request body a field of its input', () => {
    const mutations = schema.getMutationType()!.getFields();
    const byOperation = new Map<string, string>();
    for (const r of definitions.resources) {
      if (r.operations.create) byOperation.set(r.operations.create, `create${r.name}`);
      if (r.operations.update) byOperation.set(r.operations.update, `update${r.name}`);
      if (r.operations.delete) byOperation.set(r.operations.delete, `delete${r.name}`);
    }
    for (const a of definitions.actions) byOperation.set(a.operationId, a.mutation);
    const writes = [...indexOperations(doc).values()].filter(
      (op) => !op.deprecated && (op.method !== 'GET' || op.path.includes('/actions/')),
    );
    expect(writes.length).toBeGreaterThan(200);
    const unreached = writes.filter((op) => !mutations[byOperation.get(op.operationId) ?? '']).map((op) => `${op.operationId} (${op.method} ${op.path})`);
    expect(unreached).toEqual([]);
    const inexpressible: string[] = [];
    for (const op of writes) {
      const body = op.requestBody?.schema;
      const fields = body?.properties ?? body?.items?.properties;
      if (!fields) continue;
      const mutation = mutations[byOperation.get(op.operationId)!]!;
      const input = mutation.args.find((a) => a.name === 'input');
      const type = input && getNamedType(input.type);
      if (!isInputObjectType(type)) {
        inexpressible.push(`${mutation.name}: no input`);
        continue;
      }
      const inputFields = type.getFields();
      for (const [name, schema] of Object.entries(fields)) {
        if (!schema.readOnly && !inputFields[name] && !inputFields[graphqlFieldName(name)]) inexpressible.push(`${mutation.name}.input.${name}`);
      }
    }
    expect(inexpressible).toEqual([]);
  });
});
