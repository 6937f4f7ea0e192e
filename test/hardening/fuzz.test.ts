/**
 * Fuzzing the whole schema through real HTTP: a few hundred seeded operations (test/support/fuzz.ts),
 * valid and invalid, queries and mutations (against the simulator only). Whatever comes in, the
 * facade answers: no 5xx, no INTERNAL_SERVER_ERROR, `data` or `errors` in every body, no hang, no
 * unhandled rejection, /health still up. Invalid operations are refused.
 *
 * Reproduce a failure with the printed line, e.g. `FUZZ_SEED=20260601 FUZZ_CASES=57 npx vitest run
 * test/hardening/fuzz.test.ts` (FUZZ_CASES takes a comma-separated list; FUZZ_RUNS sets the count,
 * FUZZ_SEED=random a fresh seed). Mutations change the store, so a case that depends on earlier
 * writes may need the cases before it too.
 */
import { getVariableValues } from 'graphql/execution/values.js';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/server.js';
import { describeCase, fuzzCase, fuzzSeed, GENERATED_SCALARS, inputScalars, nastyStrings, type FuzzCase, type FuzzContext } from '../support/fuzz.js';
import { postRaw, recordUnhandledRejections, responseProblems, settledCounters, timedHealth, type RawResult } from '../support/hardening.js';
import { startStack, TOKEN, type Stack } from '../support/stack.js';

const WRONG_TOKEN = 'wrong-token-fuzz-41c7';
const SEED = fuzzSeed();
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const ONLY = process.env.FUZZ_CASES?.split(',').map((s) => Number(s.trim()));
/** Requests in flight at once: enough to overlap, few enough for two shared cores. */
const CONCURRENCY = 4;
/** An answer slower than this is a hang. */
const HANG_MS = 10_000;

const rejections = recordUnhandledRejections();
/** Cases whose request is in flight, so an unhandled rejection can be traced to the few that may have caused it. */
const inFlightCases = new Set<FuzzCase>();
const suspects: { reason: string; cases: FuzzCase[] }[] = [];
const onRejection = (reason: unknown) => {
  suspects.push({ reason: String(reason), cases: [...inFlightCases] });
};
process.on('unhandledRejection', onRejection);
const schema = buildSchema();
let stack: Stack;
let ctx: FuzzContext;
const indexes = ONLY ?? Array.from({ length: RUNS }, (_, i) => i);
const results: { c: FuzzCase; res: RawResult }[] = [];

beforeAll(async () => {
  stack = await startStack();
  const store = stack.sim.store;
  const ids = Object.fromEntries(store.types().map((t) => [t, store.list(t).map((r) => String(r.id))]));
  const pairOf = (type: string, parent: string) =>
    store.list(type).map((r) => [String(store.parentsOf(type, r.id as number)![parent]), String(r.id)] as [string, string]);
  // Real cursors, to tamper with and to pass to other listings.
  const cursors: Record<string, string> = {};
  for (const field of ['locations', 'chargePoints', 'evses', 'sessions', 'users', 'chargePointModels', 'chargePointVendors']) {
    const res = await stack.gql(`{ ${field}(first: 2) { pageInfo { endCursor } } }`);
    const cursor = (res.data?.[field] as { pageInfo?: { endCursor?: string } } | undefined)?.pageInfo?.endCursor;
    if (cursor) cursors[field] = cursor;
  }
  ctx = { schema, ids, pairs: { Connector: pairOf('Connector', 'evse'), ChargingZone: pairOf('ChargingZone', 'location') }, cursors, strings: nastyStrings(SEED) };
});
afterAll(async () => {
  rejections.stop();
  process.off('unhandledRejection', onRejection);
  await stack?.close();
});

const cases = () => indexes.map((i) => fuzzCase(ctx, SEED, i));

/** The failures of a list of cases, printed so that each can be replayed. */
function report(failures: { c: FuzzCase; problems: string[]; res?: RawResult }[]): string[] {
  const shown = failures
    .slice(0, 8)
    .map(({ c, problems, res }) => `${problems.join('; ')}\n${describeCase(c)}${res ? `\n-> HTTP ${res.status} in ${Math.round(res.ms)} ms: ${res.text.slice(0, 400)}` : ''}`);
  return failures.length > 8 ? [...shown, `…and ${failures.length - 8} more: cases ${failures.slice(8).map((f) => f.c.index).join(',')}`] : shown;
}

describe(`the generator (seed ${SEED})`, () => {
  it('knows every scalar the schema takes as input', () => {
    expect(inputScalars(schema).filter((s) => !GENERATED_SCALARS.includes(s))).toEqual([]);
  });

  it('valid operations pass graphql-js validation with their variables; refused ones fail it where that is the rule broken', () => {
    const failures: { c: FuzzCase; problems: string[] }[] = [];
    const all = cases();
    for (const c of all) {
      if (typeof c.body === 'string') continue;
      let problems: string[] = [];
      try {
        const doc = parse(c.body.query);
        const errors = validate(schema, doc).map((e) => e.message);
        const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        const vars = op && c.body.variables && typeof c.body.variables === 'object' && !Array.isArray(c.body.variables)
          ? getVariableValues(schema, op.variableDefinitions ?? [], c.body.variables as Record<string, unknown>)
          : undefined;
        const varErrors = vars && 'errors' in vars ? (vars.errors ?? []).map((e) => e.message) : [];
        if (c.valid) problems = [...errors, ...varErrors];
        else if (['wrong-arg-type', 'unknown-field', 'missing-required-arg'].includes(c.flavour) && errors.length === 0) problems = ['passes validation'];
        else if (c.flavour === 'garbage-variables' && c.mustFail?.code === 'BAD_USER_INPUT' && errors.length === 0 && varErrors.length === 0) problems = ['variables coerce'];
      } catch (e) {
        if (c.valid) problems = [`does not parse: ${(e as Error).message}`];
      }
      if (problems.length) failures.push({ c, problems });
    }
    expect(report(failures)).toEqual([]);
    // The mix covers the schema: every flavour and most root fields show up.
    if (!ONLY) {
      const flavours = new Set(all.map((c) => c.flavour));
      expect([...flavours].sort()).toEqual(
        ['aliases', 'entities', 'forged-cursor', 'garbage-variables', 'malformed', 'missing-required-arg', 'mutation', 'query', 'raw-body', 'unknown-field', 'wrong-arg-type'].sort(),
      );
      const text = all.map((c) => (typeof c.body === 'string' ? c.body : c.body.query)).join('\n');
      const roots = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
      const covered = roots.filter((f) => new RegExp(`\\b${f}\\b`).test(text));
      expect(covered.length / roots.length).toBeGreaterThan(0.8);
    }
  });
});

describe(`${indexes.length} operations through the facade (seed ${SEED})`, () => {
  // The operations run once, before the checks below, so each check stands alone in any order.
  beforeAll(async () => {
    const queue = cases();
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const token = c.auth === 'token' ? TOKEN : c.auth === 'wrong' ? WRONG_TOKEN : null;
        inFlightCases.add(c);
        const res = await postRaw(stack.server.graphqlUrl, c.body, { token, timeoutMs: HANG_MS });
        // A rejection surfaces a tick after the answer: keep the case a suspect that long.
        await new Promise((r) => setImmediate(r));
        inFlightCases.delete(c);
        results.push({ c, res });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }, 120_000);

  it('every answer is well-formed: no 5xx, no INTERNAL_SERVER_ERROR, data or errors, no hang, no leaked secret', () => {
    expect(results).toHaveLength(indexes.length);
    const failures = results
      .map(({ c, res }) => ({ c, res, problems: responseProblems(res, [TOKEN, WRONG_TOKEN]) }))
      .filter((f) => f.problems.length > 0)
      .sort((a, b) => a.c.index - b.c.index);
    expect(report(failures)).toEqual([]);
  });

  it('every invalid operation is refused with an error (the expected code, at the expected path)', () => {
    const failures = results
      .filter(({ c, res }) => c.mustFail && !res.failure)
      .map(({ c, res }) => {
        const errors = res.body?.errors ?? [];
        const { code, path } = c.mustFail!;
        const problems: string[] = [];
        if (errors.length === 0) problems.push('accepted without an error');
        else if (code && !errors.some((e) => e.extensions?.code === code && (!path || JSON.stringify(e.path) === JSON.stringify(path)))) {
          problems.push(`no ${code} error${path ? ` at ${JSON.stringify(path)}` : ''}: ${JSON.stringify(errors.map((e) => [e.extensions?.code, e.path]))}`);
        }
        return { c, res, problems };
      })
      .filter((f) => f.problems.length > 0)
      .sort((a, b) => a.c.index - b.c.index);
    expect(report(failures)).toEqual([]);
  });

  it('the fuzz reached the resolvers: most valid operations ran and many returned records', () => {
    if (ONLY) return;
    const valid = results.filter(({ c }) => c.valid && c.auth === 'token');
    const ran = valid.filter(({ res }) => res.status === 200 && res.body?.data);
    // A root field answered with an object: a record found, a connection listed, a mutation payload.
    const withRecords = ran.filter(({ res }) => Object.values(res.body!.data!).some((v) => v !== null && typeof v === 'object'));
    expect(valid.length).toBeGreaterThan(RUNS / 3);
    expect(ran.length / valid.length).toBeGreaterThan(0.6);
    expect(withRecords.length / valid.length).toBeGreaterThan(0.4);
  });

  it('afterwards: /health answers within 1 s, nothing in flight, no unhandled rejection', async () => {
    const health = await timedHealth(stack.server);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(1_000);
    expect(await settledCounters(stack.server)).toEqual({ inFlight: 0, queued: 0 });
    await new Promise((r) => setTimeout(r, 200));
    const traced = suspects.map(({ reason, cases: among }) => `${reason}\n  while in flight:\n${among.map((c) => describeCase(c)).join('\n')}`);
    expect(traced).toEqual([]);
    expect(rejections.seen.map(String)).toEqual([]);
  });
});

/**
 * Requests the fuzz found mishandled, pinned so that they are checked whatever the seed. Each must be
 * answered as a client error (with `code` when given), never as an internal one.
 */
describe('edge cases found by fuzzing', () => {
  const cases: { name: string; body: unknown; code?: string; noUpstreamCall?: boolean }[] = [
    { name: 'a subscription (the schema has none)', body: { query: 'subscription { contractVersion }' } },
    {
      name: 'a persisted-query hash that does not match the query',
      body: { query: '{ contractVersion }', extensions: { persistedQuery: { version: 1, sha256Hash: '00ff' } } },
    },
    { name: '_entities with an unknown __typename', body: { query: '{ _entities(representations: [{__typename: "NoSuchType", id: "1"}]) { __typename } }' } },
    { name: '_entities without __typename', body: { query: '{ _entities(representations: [{id: "1"}]) { __typename } }' } },
    {
      name: '_entities mixing a malformed id and an unknown __typename (left an unhandled rejection)',
      body: { query: '{ _entities(representations: [{__typename: "ChargePoint", id: "x"}, {__typename: "NoSuchType", id: "1"}]) { __typename } }' },
    },
    { name: 'chargingZone with an empty locationId', body: { query: '{ chargingZone(locationId: "", id: "1") { id } }' }, code: 'BAD_USER_INPUT', noUpstreamCall: true },
    { name: 'connector with an empty evseId', body: { query: '{ connector(evseId: "", id: "1") { id } }' }, code: 'BAD_USER_INPUT', noUpstreamCall: true },
    { name: 'chargePoint with an empty id (was read as the listing)', body: { query: '{ chargePoint(id: "") { id name } }' }, code: 'BAD_USER_INPUT', noUpstreamCall: true },
    { name: 'evse with a dot-segment id', body: { query: '{ evse(id: "..") { id } }' }, code: 'BAD_USER_INPUT', noUpstreamCall: true },
  ];

  it.each(cases)('$name', async ({ body, code, noUpstreamCall }) => {
    stack.sim.clearLog();
    const before = rejections.seen.length;
    const res = await postRaw(stack.server.graphqlUrl, body, { token: TOKEN, timeoutMs: HANG_MS });
    const context = `${JSON.stringify(body)} -> HTTP ${res.status} ${res.text.slice(0, 400)}`;
    expect(responseProblems(res, [TOKEN]), context).toEqual([]);
    expect(res.body?.errors?.length, context).toBeGreaterThan(0);
    if (code) expect(res.body!.errors!.map((e) => e.extensions?.code), context).toContain(code);
    if (noUpstreamCall) expect(stack.sim.log, context).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections.seen.slice(before).map(String), context).toEqual([]);
  });
});
