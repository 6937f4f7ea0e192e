/**
 * Federation's `_entities` against representations a confused (or hostile) gateway may send: each
 * is checked against its type's `@key` before anything is read. A bad one is a BAD_USER_INPUT error
 * at its own index, costs no upstream call, and leaves the rest of the answer as it would be
 * without it; nothing is abandoned in flight (no unhandled rejection).
 *
 * Sub-resources (a payment method under its user, a connector under its EVSE) are keyed by their
 * id and their parent's id (`@key(fields: "id userId")`): AMPECO has no path for them without it.
 */
import { isObjectType, Kind, type ConstDirectiveNode } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resources } from '../../src/definitions/graph.js';
import { buildSchema } from '../../src/server.js';
import { postRaw, recordUnhandledRejections, responseProblems, type RawResult } from '../support/hardening.js';
import { startStack, TOKEN, type Stack } from '../support/stack.js';

const rejections = recordUnhandledRejections();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
beforeEach(() => stack.sim.clearLog());
afterAll(async () => {
  rejections.stop();
  await stack?.close();
});

const schema = buildSchema();

/** The `@key(fields:)` of a type, as written in the schema. */
function keysOf(type: string): string[] {
  const t = schema.getType(type);
  if (!isObjectType(t)) return [];
  const directives: readonly ConstDirectiveNode[] = t.astNode?.directives ?? [];
  return directives
    .filter((d) => d.name.value === 'key')
    .map((d) => d.arguments?.find((a) => a.name.value === 'fields')?.value)
    .map((v) => (v?.kind === Kind.STRING ? v.value : ''));
}

/** Every sub-resource entity: its parent link (`userId` on a PaymentMethod, from the definitions). */
const subResources = resources
  .filter((r) => r.parents?.length)
  .map((r) => ({ type: r.name, parentKey: r.parents!.at(-1)!.field, parentParam: r.parents!.at(-1)!.param }));

/** A GraphQL literal of a representation (`_Any` takes object literals). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

async function entities(representations: unknown[], selection: string): Promise<RawResult> {
  const query = `{ _entities(representations: [${representations.map(literal).join(', ')}]) { __typename ${selection} } }`;
  return postRaw(stack.server.graphqlUrl, { query }, { token: TOKEN });
}

/** The errors of an answer as [path, code], in path order. */
const errorsOf = (res: RawResult) =>
  (res.body?.errors ?? []).map((e) => [e.path, e.extensions?.code]).sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));

/** A real record of `type` with its immediate parent's id, from the simulator's store. */
function realPair(type: string, parentParam: string): { id: string; parentId: string } {
  const row = stack.sim.store.list(type)[0];
  if (!row) throw new Error(`the simulator has no ${type}`);
  return { id: String(row.id), parentId: String(stack.sim.store.parentsOf(type, row.id as number)![parentParam]) };
}

describe('sub-resource entities are found by their id and their parent id', () => {
  it('the definitions and the schema agree: every sub-resource is keyed by its id and its parent id', () => {
    expect(subResources.map((s) => s.type).sort()).toEqual(
      ['ChargePointShare', 'ChargingZone', 'CircuitUserPriority', 'Connector', 'CustomTariffFilter', 'PartnerSettlementRecord', 'PaymentMethod'].sort(),
    );
    for (const { type, parentKey } of subResources) expect(keysOf(type), type).toEqual([`id ${parentKey}`]);
  });

  it.each(subResources)('$type without its parent key $parentKey (or with an unusable one): BAD_USER_INPUT at its index, no upstream call', async ({ type, parentKey }) => {
    const before = rejections.seen.length;
    const reps = [{ __typename: type, id: '1' }, { __typename: type, id: '1', [parentKey]: { nested: true } }, { __typename: type, id: '1', [parentKey]: 1.5 }, { __typename: type, id: '1', [parentKey]: '' }];
    const res = await entities(reps, `... on ${type} { id }`);
    const context = `${type} -> HTTP ${res.status} ${res.text.slice(0, 600)}`;
    expect(responseProblems(res, [TOKEN]), context).toEqual([]);
    expect(res.body?.data, context).toEqual({ _entities: [null, null, null, null] });
    expect(errorsOf(res), context).toEqual([0, 1, 2, 3].map((i) => [['_entities', i], 'BAD_USER_INPUT']));
    const messages = res.body!.errors!.map((e) => e.message);
    expect(messages.filter((m) => m.includes(`\`${parentKey}\``)), context).toHaveLength(4);
    expect(stack.sim.log, context).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections.seen.slice(before).map(String), context).toEqual([]);
  });

  it.each(subResources)('$type: a bad representation among good ones leaves the others answered', async ({ type, parentKey, parentParam }) => {
    const before = rejections.seen.length;
    const { id, parentId } = realPair(type, parentParam);
    const chargePointId = String(stack.sim.store.list('ChargePoint')[0]!.id);
    const reps = [
      { __typename: 'ChargePoint', id: chargePointId },
      { __typename: type, id },
      { __typename: type, id, [parentKey]: parentId },
    ];
    const res = await entities(reps, `... on ChargePoint { id } ... on ${type} { id ${parentKey} }`);
    const context = `${type} -> HTTP ${res.status} ${res.text.slice(0, 600)}`;
    expect(responseProblems(res, [TOKEN]), context).toEqual([]);
    expect(res.body?.data, context).toEqual({
      _entities: [{ __typename: 'ChargePoint', id: chargePointId }, null, { __typename: type, id, [parentKey]: parentId }],
    });
    expect(errorsOf(res), context).toEqual([[['_entities', 1], 'BAD_USER_INPUT']]);
    expect(res.body!.errors![0]!.message, context).toBe(`Representation 1 (\`${type}\`): \`${parentKey}\` is missing; a ${type} is found by its key \`id ${parentKey}\`.`);
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections.seen.slice(before).map(String), context).toEqual([]);
  });
});

describe('representations that cannot name a record', () => {
  it('found by the fuzz (seed 20260601, case 53): an object as an id after a started lookup kept the whole field from answering', async () => {
    const before = rejections.seen.length;
    const invoice = String(stack.sim.store.list('Invoice')[0]!.id);
    const reps = [
      { __typename: 'PaymentMethod', id: '1e3' },
      { __typename: 'Invoice', id: invoice },
      { __typename: 'Reservation', id: { nested: true } },
      { __typename: 'Location', id: true },
      { __typename: 'Location', id: null },
      { __typename: 'Location', id: [1] },
    ];
    const res = await entities(reps, '... on Invoice { id }');
    const context = `HTTP ${res.status} ${res.text.slice(0, 800)}`;
    expect(responseProblems(res, [TOKEN]), context).toEqual([]);
    expect(res.body?.data, context).toEqual({ _entities: [null, { __typename: 'Invoice', id: invoice }, null, null, null, null] });
    expect(errorsOf(res), context).toEqual([0, 2, 3, 4, 5].map((i) => [['_entities', i], 'BAD_USER_INPUT']));
    expect(res.body!.errors!.map((e) => e.message).sort(), context).toEqual(
      [
        'Representation 0 (`PaymentMethod`): `userId` is missing; a PaymentMethod is found by its key `id userId`.',
        'Representation 2 (`Reservation`): `id` is not a valid ID; a Reservation is found by its key `id`.',
        'Representation 3 (`Location`): `id` is not a valid ID; a Location is found by its key `id`.',
        'Representation 4 (`Location`): `id` is missing; a Location is found by its key `id`.',
        'Representation 5 (`Location`): `id` is not a valid ID; a Location is found by its key `id`.',
      ].sort(),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections.seen.slice(before).map(String), context).toEqual([]);
  });

  it('a representation\'s id may be a number when a whole one (graphql-js reads the literal as an Int); a fractional one is no id', async () => {
    const location = stack.sim.store.list('Location')[0]!.id;
    const res = await entities([{ __typename: 'Location', id: location }, { __typename: 'Location', id: 1.5 }], '... on Location { id }');
    const context = `HTTP ${res.status} ${res.text.slice(0, 600)}`;
    expect(res.body?.data, context).toEqual({ _entities: [{ __typename: 'Location', id: String(location) }, null] });
    expect(errorsOf(res), context).toEqual([[['_entities', 1], 'BAD_USER_INPUT']]);
  });
});
