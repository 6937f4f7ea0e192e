/**
 * Seeds the store generically: every defined resource gets schema-fabricated records, nested
 * ones spread over their parents, to-one fields pointing at existing records (a parent that
 * lists the type by that field "owns" it, so every owner gets at least one); hooks then make
 * the values realistic.
 */
import type { FabricateContext } from './fabricate.js';
import { recordMaker } from './fabricate.js';
import type { SeedContext } from './hooks.js';
import type { Model, ResourceModel } from './model.js';
import { Rng } from './prng.js';
import { valueAt, type Row, type SimulatorStore } from './store.js';
import type { SimRecord } from './types.js';

const FALLBACK_COUNT = 20;

/**
 * A function copying a record into an object literal with the schema's keys in schema order.
 * Records built key by key (30+ properties through computed keys) end up in V8's dictionary
 * mode, which more than doubles their memory: 100k sessions went from ~250 MB to ~110 MB with it.
 * Absent fields become `undefined` members, which JSON and the serializer skip.
 */
export function compactor(keys: string[]): (rec: SimRecord) => SimRecord {
  const body = `return {${keys.map((k) => `${JSON.stringify(k)}: r[${JSON.stringify(k)}]`).join(', ')}};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- built from the schema's own keys, each JSON-quoted: no outside text reaches the code
  return new Function('r', body) as (rec: SimRecord) => SimRecord;
}

export interface SeedOptions {
  seed: number;
  size: Record<string, number | undefined>;
  epochMs: number;
}

export function seedStore(store: SimulatorStore, model: Model, options: SeedOptions): void {
  for (const name of model.seedOrder) {
    const m = model.resources.get(name);
    if (m) seedType(store, model, m, options);
  }
  for (const m of model.resources.values()) m.hooks.seedLinks?.({ rng: Rng.derive(options.seed, 'links', m.name), store });
}

/** Spreads `count` children over `n` owners: everyone gets one while it lasts, the rest at random. */
function distribute(count: number, n: number, rng: Rng): number[] {
  const counts = new Array<number>(n).fill(0);
  if (n === 0) return counts;
  if (count >= n) {
    counts.fill(1);
    for (let i = n; i < count; i++) counts[rng.int(0, n - 1)]! += 1;
  } else {
    const order = [...counts.keys()];
    for (let i = 0; i < count; i++) {
      const j = rng.int(i, n - 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
      counts[order[i]!] = 1;
    }
  }
  return counts;
}

function parentChain(store: SimulatorStore, model: Model, m: ResourceModel, inner: Row): Record<string, number> | undefined {
  const links = m.parents;
  const out: Record<string, number> = {};
  let row: Row | undefined = inner;
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i]!;
    if (!row) return undefined;
    out[link.param] = row.key;
    const outer = links[i - 1];
    if (!outer) break;
    const childModel = model.resources.get(link.resource);
    const rel = childModel?.def.relations.find((r) => r.kind === 'one' && r.target === outer.resource && r.via);
    const outerId: unknown = rel?.via ? valueAt(row.data, rel.via.split('.')) : row.parents[outer.param];
    row = typeof outerId === 'number' || typeof outerId === 'string' ? store.row(outer.resource, outerId) : undefined;
  }
  return out;
}

function seedType(store: SimulatorStore, model: Model, m: ResourceModel, options: SeedOptions): void {
  const rng = Rng.derive(options.seed, 'seed', m.name);
  const table = store.table(m.name);
  const requested = options.size[m.sizeKey];
  const props = m.record.properties ?? {};

  let plan: Record<string, number>[] | undefined;
  let count: number;
  const inner = m.parents[m.parents.length - 1];
  if (inner) {
    const owners = store.table(inner.resource).rows;
    const perOwner = requested === undefined && m.hooks.perParent
      ? owners.map(() => rng.int(m.hooks.perParent![0], m.hooks.perParent![1]))
      : distribute(requested ?? m.hooks.defaultCount ?? FALLBACK_COUNT, owners.length, rng);
    plan = [];
    owners.forEach((owner, j) => {
      const chain = parentChain(store, model, m, owner);
      if (chain) for (let k = 0; k < (perOwner[j] ?? 0); k++) plan!.push(chain);
    });
    count = plan.length;
  } else {
    count = requested ?? m.hooks.defaultCount ?? FALLBACK_COUNT;
  }

  // To-one fields: ids of existing targets, typed like the field (a session's userId is an integer, a user's id a string).
  const fills = m.def.relations
    .filter((r) => r.kind === 'one' && r.via && !r.via.includes('.') && r.target !== m.name && props[r.via] && model.resources.has(r.target))
    .filter((r) => !m.parents.some((link) => link.field === r.via))
    .map((r) => {
      const via = r.via as string;
      const keys = store.table(r.target).rows.map((row) => row.key);
      const asString = props[via]?.type === 'string';
      const owned = model.resources.get(r.target)!.def.relations.some((back) => back.kind === 'many' && back.target === m.name && back.filter === via);
      let assigned: number[] | undefined;
      if (owned && keys.length) {
        assigned = [];
        distribute(count, keys.length, rng).forEach((c, j) => {
          for (let k = 0; k < c; k++) assigned!.push(keys[j]!);
        });
        // Interleave owners so that ids of one owner's records are not all adjacent.
        for (let i = assigned.length - 1; i > keys.length; i--) {
          const j = rng.int(keys.length, i);
          [assigned[i], assigned[j]] = [assigned[j]!, assigned[i]!];
        }
      }
      return { via, keys, asString, assigned };
    });

  const fab: FabricateContext = { rng, epochMs: options.epochMs, pOptional: m.hooks.pOptional ?? 1, pNull: 0.15, requiredOnly: false };
  const skip = new Set([...m.gates.keys(), ...(m.hooks.omit ?? [])]);
  const ctx: SeedContext = { rng, fab, store, epochMs: options.epochMs, index: 0, count, parents: {}, memo: new Map(), schema: m.record };
  const hasId = Boolean(props.id);
  const make = recordMaker(m.record, skip);
  const compact = compactor(Object.keys(props));
  for (let i = 0; i < count; i++) {
    const rec = make(fab) as SimRecord;
    const key = table.nextKey;
    if (hasId) rec.id = m.idIsString ? String(key) : key;
    const parents = plan?.[i] ?? {};
    for (const link of m.parents) if (props[link.field] && parents[link.param] !== undefined) rec[link.field] = parents[link.param];
    for (const fill of fills) {
      if (!fill.keys.length) continue;
      const target = fill.assigned?.[i] ?? rng.pick(fill.keys);
      rec[fill.via] = fill.asString ? String(target) : target;
    }
    ctx.index = i;
    ctx.parents = parents;
    m.hooks.seed?.(rec, ctx);
    if (typeof rec.createdAt === 'string' && typeof rec.lastUpdatedAt === 'string' && rec.lastUpdatedAt < rec.createdAt) {
      rec.lastUpdatedAt = rec.createdAt;
    }
    table.insert(compact(rec), parents, key);
  }
}
