/**
 * The lookahead (src/resolvers/lookahead.ts) on real resolve infos: queries run through graphql-js's
 * `execute` over the facade's own schema (its SDL, without its resolvers), with a resolver that
 * records each field's info and makes up a value of the right type. What the lookahead reports is
 * what execution resolves: fragments followed, aliases merged by field name, `@skip`/`@include`
 * applied with literal and variable conditions. The last part checks, against the simulator, that a
 * field the query switches off no longer costs an include[] or a prefetch upstream.
 */
import {
  buildSchema as buildFromSdl,
  execute,
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isListType,
  isObjectType,
  parse,
  printSchema,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { childSelections, onlyKnownFields, perSelection, recordsOf, selectedFields, selectedNodeFields } from '../../src/resolvers/lookahead.js';
import { buildSchema } from '../../src/server.js';
import { gets, P, upstream } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

/** The facade's schema as clients see it, with no resolvers: the capturing resolver answers every field. */
const schema: GraphQLSchema = buildFromSdl(printSchema(buildSchema()));

/** A value of the field's type: one item for a list, an empty object for a record, something valid for a leaf. */
function mockValue(info: GraphQLResolveInfo): unknown {
  const make = (type: ReturnType<typeof getNullableType>): unknown => {
    if (isListType(type)) return [make(getNullableType(type.ofType))];
    if (isObjectType(type)) return {};
    if (isAbstractType(type)) return { __typename: 'ChargePoint' };
    if (isEnumType(type)) return type.getValues()[0]!.value;
    switch (getNamedType(type)?.name) {
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      default:
        return '1';
    }
  };
  return make(getNullableType(info.returnType));
}

/**
 * Runs `query` and returns the resolve info of each field by its path without list indices
 * (`chargePoints.nodes.evses`); the first one seen when a list repeats it.
 */
async function infosOf(query: string | DocumentNode, variables: Record<string, unknown> = {}): Promise<Map<string, GraphQLResolveInfo>> {
  const document = typeof query === 'string' ? parse(query) : query;
  expect(validate(schema, document)).toEqual([]);
  const infos = new Map<string, GraphQLResolveInfo>();
  const capture: GraphQLFieldResolver<unknown, unknown> = (_source, _args, _ctx, info) => {
    const keys: string[] = [];
    for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') keys.unshift(p.key);
    const key = keys.join('.');
    if (!infos.has(key)) infos.set(key, info);
    return mockValue(info);
  };
  const result = await execute({ schema, document, variableValues: variables, fieldResolver: capture });
  expect(result.errors).toBeUndefined();
  return infos;
}

async function infoAt(path: string, query: string | DocumentNode, variables?: Record<string, unknown>): Promise<GraphQLResolveInfo> {
  const info = (await infosOf(query, variables)).get(path);
  if (!info) throw new Error(`no field resolved at ${path}`);
  return info;
}

const sorted = (set: Set<string>) => [...set].sort();

describe('perSelection: worked out once per selection', () => {
  const QUERY = parse(`query Q($skip: Boolean!) { sessions(first: 2) { nodes { id chargePoint { id name @skip(if: $skip) } } } }`);

  /** The infos of `sessions.nodes.chargePoint` for every row of one execution, in order. */
  async function rowInfos(variables: Record<string, unknown>): Promise<GraphQLResolveInfo[]> {
    const infos: GraphQLResolveInfo[] = [];
    const capture: GraphQLFieldResolver<unknown, unknown> = (_source, _args, _ctx, info) => {
      if (info.fieldName === 'chargePoint') infos.push(info);
      // Two sessions, so that two rows resolve their charge point.
      return info.fieldName === 'nodes' ? [{}, {}] : mockValue(info);
    };
    const result = await execute({ schema, document: QUERY, variableValues: variables, fieldResolver: capture });
    expect(result.errors).toBeUndefined();
    return infos;
  }

  it('the rows of one execution share the value; another execution, or other variables, work it out again', async () => {
    let made = 0;
    const fields = perSelection((info) => {
      made++;
      return sorted(selectedFields(info));
    });
    const first = await rowInfos({ skip: false });
    expect(first).toHaveLength(2);
    expect(first.map(fields)).toEqual([['id', 'name'], ['id', 'name']]);
    expect(made).toBe(1);
    const skipped = await rowInfos({ skip: true });
    expect(skipped.map(fields)).toEqual([['id'], ['id']]);
    expect(made).toBe(2);
    // The same document and equal variables, but a new execution: its own (coerced) variables object.
    expect((await rowInfos({ skip: true })).map(fields)).toEqual([['id'], ['id']]);
    expect(made).toBe(3);
  });
});

describe('selected fields', () => {
  it('plain fields, and __typename among them', async () => {
    const info = await infoAt('chargePoint', `{ chargePoint(id: "1") { id name status __typename } }`);
    expect(sorted(selectedFields(info))).toEqual(['__typename', 'id', 'name', 'status']);
    expect(onlyKnownFields(selectedFields(info), ['id'])).toBe(false);
    const idOnly = await infoAt('chargePoint', `{ chargePoint(id: "1") { id __typename } }`);
    expect(onlyKnownFields(selectedFields(idOnly), ['id'])).toBe(true);
  });

  it('aliases count by field name, once', async () => {
    const info = await infoAt('chargePoint', `{ chargePoint(id: "1") { a: name b: name id here: location { id } } }`);
    expect(sorted(selectedFields(info))).toEqual(['id', 'location', 'name']);
    expect(sorted(selectedFields(info, ['location']))).toEqual(['id']);
  });

  it('named fragments, nested ones and inline fragments with and without a type condition', async () => {
    const info = await infoAt(
      'chargePoint',
      `query {
        chargePoint(id: "1") { id ...Names ... on ChargePoint { networkStatus } ... { location { ...Place } } }
      }
      fragment Names on ChargePoint { name ...Status }
      fragment Status on ChargePoint { status }
      fragment Place on Location { city }`,
    );
    expect(sorted(selectedFields(info))).toEqual(['id', 'location', 'name', 'networkStatus', 'status']);
    expect(sorted(selectedFields(info, ['location']))).toEqual(['city']);
  });

  it('a path down to a field nobody selected is empty', async () => {
    const info = await infoAt('chargePoint', `{ chargePoint(id: "1") { id } }`);
    expect(selectedFields(info, ['location'])).toEqual(new Set());
    expect(selectedFields(info, ['noSuchField'])).toEqual(new Set());
  });

  it('an abstract result (federation _entities) reads every possible type, each with its own fragments', async () => {
    const info = await infoAt(
      '_entities',
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ChargePoint { name evses { id } } ... on User { email } } }`,
      { r: [{ __typename: 'ChargePoint', id: '1' }] },
    );
    expect(sorted(selectedFields(info))).toEqual(['__typename', 'email', 'evses', 'name']);
    expect(sorted(selectedFields(info, ['evses']))).toEqual(['id']);
  });
});

describe('@skip and @include', () => {
  it('literal conditions on fields, fragment spreads and inline fragments', async () => {
    const info = await infoAt(
      'chargePoint',
      `query {
        chargePoint(id: "1") {
          id
          name @skip(if: true)
          status @include(if: false)
          networkStatus @skip(if: false) @include(if: true)
          hardwareStatus @skip(if: true) @include(if: true)
          location @include(if: true) { id }
          evses @skip(if: true) { id }
          ...Zone @include(if: false)
          ... @skip(if: true) { sessions(first: 1) { nodes { id } } }
          ... on ChargePoint @include(if: true) { model { id } }
        }
      }
      fragment Zone on ChargePoint { chargingZone { name } }`,
    );
    expect(sorted(selectedFields(info))).toEqual(['id', 'location', 'model', 'networkStatus']);
    expect(childSelections(info, 'evses')).toEqual([]);
    expect(childSelections(info, 'sessions')).toEqual([]);
    expect(childSelections(info, 'chargingZone')).toEqual([]);
    expect(childSelections(info, 'location')).toHaveLength(1);
  });

  it('a field skipped in one place and selected in another is selected, as execution resolves it', async () => {
    const info = await infoAt('chargePoint', `{ chargePoint(id: "1") { name @skip(if: true) ... on ChargePoint { name } evses @include(if: false) { id } } }`);
    expect(sorted(selectedFields(info))).toEqual(['name']);
  });

  it('variable conditions, with defaults, on the same parsed document run with other variables', async () => {
    const document = parse(`query($withSessions: Boolean!, $skipEvses: Boolean = true, $withUser: Boolean!) {
      chargePoint(id: "1") {
        id
        evses @skip(if: $skipEvses) { id connectors { id } }
        sessions(first: 3) @include(if: $withSessions) { nodes { id user @include(if: $withUser) { email } } }
      }
    }`);
    const off = await infoAt('chargePoint', document, { withSessions: false, withUser: true });
    expect(sorted(selectedFields(off))).toEqual(['id']);
    expect(childSelections(off, 'sessions')).toEqual([]);
    expect(childSelections(off, 'evses')).toEqual([]);

    // Same document (so the same AST nodes), other variables: nothing cached from the first run shows.
    const on = await infoAt('chargePoint', document, { withSessions: true, skipEvses: false, withUser: false });
    expect(sorted(selectedFields(on))).toEqual(['evses', 'id', 'sessions']);
    const [sessions] = childSelections(on, 'sessions');
    expect(sorted(sessions!.fields)).toEqual(['id']);
    expect(childSelections(sessions!.records, 'user')).toEqual([]);

    // And back: a third run with the first variables agrees with the first.
    const again = await infoAt('chargePoint', document, { withSessions: false, withUser: true });
    expect(sorted(selectedFields(again))).toEqual(['id']);
  });

  it('conditions on a connection’s nodes and edges', async () => {
    const info = await infoAt(
      'sessions',
      `query($edges: Boolean!) { sessions(first: 5) { nodes @include(if: false) { id energy } edges @include(if: $edges) { node { id status } } } }`,
      { edges: true },
    );
    expect(sorted(selectedNodeFields(info))).toEqual(['id', 'status']);
    expect(selectedFields(info, ['nodes'])).toEqual(new Set());
    const noEdges = await infoAt(
      'sessions',
      `query($edges: Boolean!) { sessions(first: 5) { totalCount nodes @include(if: false) { id } edges @include(if: $edges) { node { id } } } }`,
      { edges: false },
    );
    expect(selectedNodeFields(noEdges)).toEqual(new Set());
    expect(recordsOf(noEdges).fieldNodes).toEqual([]);
  });
});

describe('connections and child selections', () => {
  const query = `query {
    chargePoints(first: 3) {
      pageInfo { hasNextPage }
      nodes { id evses { id connectors { id type } } }
      edges { cursor node { name sessions(first: 2) { edges { node { energy user { email } } } } } }
    }
  }`;

  it('a connection’s records are its nodes and its edges’ nodes together', async () => {
    const info = await infoAt('chargePoints', query);
    expect(sorted(selectedFields(info))).toEqual(['edges', 'nodes', 'pageInfo']);
    expect(sorted(selectedFields(info, ['nodes']))).toEqual(['evses', 'id']);
    expect(sorted(selectedFields(info, ['edges', 'node']))).toEqual(['name', 'sessions']);
    expect(sorted(selectedNodeFields(info))).toEqual(['evses', 'id', 'name', 'sessions']);
    const records = recordsOf(info);
    expect(String(records.returnType)).toBe('ChargePoint');
    expect(records.fieldNodes.map((n) => n.name.value)).toEqual(['nodes', 'node']);
    expect(sorted(selectedFields(records))).toEqual(['evses', 'id', 'name', 'sessions']);
    // Not a connection: its own records.
    const evses = (await infosOf(query)).get('chargePoints.nodes.evses')!;
    expect(recordsOf(evses)).toBe(evses);
  });

  it('child selections go down lists and nested connections', async () => {
    const records = recordsOf(await infoAt('chargePoints', query));
    const [evses, ...more] = childSelections(records, 'evses');
    expect(more).toEqual([]);
    expect(evses!.args).toEqual({});
    expect(sorted(evses!.fields)).toEqual(['connectors', 'id']);
    expect(sorted(childSelections(evses!.records, 'connectors')[0]!.fields)).toEqual(['id', 'type']);

    const [sessions] = childSelections(records, 'sessions');
    expect(sessions!.args).toEqual({ first: 2 });
    expect(sorted(sessions!.fields)).toEqual(['energy', 'user']);
    expect(String(sessions!.records.returnType)).toBe('Session');
    expect(sorted(childSelections(sessions!.records, 'user')[0]!.fields)).toEqual(['email']);
    expect(childSelections(records, 'location')).toEqual([]);
    expect(childSelections(records, 'noSuchField')).toEqual([]);
  });

  it('agrees with what each field’s own resolver sees', async () => {
    const infos = await infosOf(query);
    // The lookahead from the root predicts the fields the nested resolvers' infos select.
    const records = recordsOf(infos.get('chargePoints')!);
    const [sessions] = childSelections(records, 'sessions');
    expect(sessions!.fields).toEqual(selectedNodeFields(infos.get('chargePoints.edges.node.sessions')!));
    expect(childSelections(sessions!.records, 'user')[0]!.fields).toEqual(selectedFields(infos.get('chargePoints.edges.node.sessions.edges.node.user')!));
  });

  it('one child selection per alias, each with its arguments and its own fields', async () => {
    const info = await infoAt(
      'chargePoint',
      `{ chargePoint(id: "1") {
          recent: sessions(first: 2) { nodes { id } }
          older: sessions(first: 5, after: "c1") { edges { node { energy } } }
          recent: sessions(first: 2) { nodes { status } }
        } }`,
    );
    const selections = childSelections(info, 'sessions');
    expect(selections.map((s) => s.args)).toEqual([{ first: 2 }, { first: 5, after: 'c1' }]);
    expect(selections.map((s) => sorted(s.fields))).toEqual([['id', 'status'], ['energy']]);
  });

  it('arguments from variables: coerced, defaults applied, absent ones left out', async () => {
    const document = parse(`query($n: Int = 4, $after: String, $f: SessionFilter) {
      chargePoint(id: "1") { sessions(first: $n, after: $after, filter: $f) { nodes { id } } }
    }`);
    const all = await infoAt('chargePoint', document, { n: 7, after: 'abc', f: { evseId: 12, status: 'FINISHED' } });
    expect(childSelections(all, 'sessions')[0]!.args).toEqual({ first: 7, after: 'abc', filter: { evseId: '12', status: 'FINISHED' } });
    const defaults = await infoAt('chargePoint', document, {});
    expect(childSelections(defaults, 'sessions')[0]!.args).toEqual({ first: 4 });
  });

  it('the same answers on every call, and every item of a list shares them', async () => {
    const info = await infoAt('chargePoints', query);
    const first = childSelections(recordsOf(info), 'sessions');
    const second = childSelections(recordsOf(info), 'sessions');
    expect(second.map((s) => [s.args, s.fields])).toEqual(first.map((s) => [s.args, s.fields]));
    // Cached field-node lists: a walk from the same records collects nothing twice.
    expect(recordsOf(info).fieldNodes).toBe(recordsOf(info).fieldNodes);
    expect(second[0]!.records.fieldNodes).toBe(first[0]!.records.fieldNodes);
    // Returned sets are the caller's own.
    selectedFields(info).add('mutated');
    expect(selectedFields(info).has('mutated')).toBe(false);
  });
});

  it('a document without variables shares its collections with its later executions; one with variables does not', async () => {
    const plain = parse('{ chargePoints(first: 2) { nodes { id sessions(first: 1) { nodes { id } } } } }');
    const a = await infoAt('chargePoints', plain);
    const b = await infoAt('chargePoints', plain);
    expect(a).not.toBe(b);
    // Apollo hands every request of a query the same parsed document: the second request walks nothing again.
    expect(recordsOf(b).fieldNodes).toBe(recordsOf(a).fieldNodes);
    expect(childSelections(recordsOf(b), 'sessions')[0]!.fields).toEqual(childSelections(recordsOf(a), 'sessions')[0]!.fields);

    const withVariables = parse('query($s: Boolean!) { chargePoints(first: 2) { nodes { id sessions(first: 1) @include(if: $s) { nodes { id } } } } }');
    const on = await infoAt('chargePoints', withVariables, { s: true });
    const off = await infoAt('chargePoints', withVariables, { s: false });
    expect(recordsOf(off).fieldNodes).not.toBe(recordsOf(on).fieldNodes);
    expect(childSelections(recordsOf(on), 'sessions')).toHaveLength(1);
    expect(childSelections(recordsOf(off), 'sessions')).toEqual([]);
  });

describe('against the simulator: what @include(if: false) switches off costs nothing upstream', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  beforeEach(() => stack.sim.clearLog());
  afterAll(() => stack?.close());

  const query = `query($cp: ID!, $evse: ID!, $more: Boolean!) {
    chargePoint(id: $cp) {
      id name
      evses @include(if: $more) { id connectors { id } }
      sessions(first: 3) @include(if: $more) { nodes { id } }
    }
    evse(id: $evse) { id label connectors @include(if: $more) { id } }
  }`;

  /** An EVSE with connectors, and a charge point elsewhere with EVSEs and sessions (so no listing serves the EVSE's read). */
  function pick() {
    const store = stack.sim.store;
    const evse = store.list('Evse').find((e) => store.children('Connector', { evse: e.id }).length > 0)!;
    const cp = store
      .list('ChargePoint')
      .find((c) => c.id !== evse.chargePointId && store.list('Session').some((s) => s.chargePointId === c.id) && store.list('Evse').some((e) => e.chargePointId === c.id))!;
    return { evse, evseId: String(evse.id), cp, cpId: String(cp.id) };
  }
  const calls = () => upstream(stack.sim).map((e) => `${e.method} ${e.path}?${e.decoded}`).sort();

  it('no include[] for a skipped embedded field, no prefetch for a skipped listing', async () => {
    const { evse, evseId, cp, cpId } = pick();
    const run = async (more: boolean) => {
      stack.sim.clearLog();
      const res = await stack.gql<{
        chargePoint: { id: string; name: string; sessions?: { nodes: unknown[] } };
        evse: { id: string; label: string; connectors?: unknown[] };
      }>(query, { cp: cpId, evse: evseId, more });
      expect(res.errors).toBeUndefined();
      return res;
    };

    // Switched on: the EVSE read embeds its connectors, and the charge point's EVSEs and sessions
    // listings are started with the charge point's own read.
    const on = await run(true);
    expect(on.data!.evse.connectors!.length).toBeGreaterThan(0);
    expect(on.data!.chargePoint.sessions!.nodes.length).toBeGreaterThan(0);
    expect(gets(stack.sim, `${P.evses}/${evseId}`).map((e) => e.decoded)).toEqual(['include[]=connectors']);
    expect(upstream(stack.sim, (e) => e.path === P.evses && e.decoded.includes(`filter[chargePointId]=${cpId}`))).toHaveLength(1);
    expect(upstream(stack.sim, (e) => e.path === P.sessions && e.decoded.includes(`filter[chargePointId]=${cpId}`))).toHaveLength(1);

    // Switched off by the variable (same query text): the same two reads without include[], and no listings at all.
    const off = await run(false);
    expect(off.data!.chargePoint).toEqual({ id: cpId, name: cp.name });
    expect(off.data!.evse).toEqual({ id: evseId, label: evse.label });
    expect(calls()).toEqual([`GET ${P.chargePoints}/${cpId}?`, `GET ${P.evses}/${evseId}?`].sort());
  });

  it('the same with literal conditions, on fields and on fragments', async () => {
    const { evseId, cpId } = pick();
    const res = await stack.gql(`{
      evse(id: "${evseId}") { id connectors @include(if: false) { id } ...Connectors @skip(if: true) }
      chargePoint(id: "${cpId}") { id name sessions(first: 2) @skip(if: true) { nodes { id } } ... @include(if: false) { evses { id } } }
    }
    fragment Connectors on Evse { connectors { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.evse).toEqual({ id: evseId });
    expect(calls()).toEqual([`GET ${P.chargePoints}/${cpId}?`, `GET ${P.evses}/${evseId}?`].sort());
  });
});
