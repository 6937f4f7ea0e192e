/**
 * The facade as an Apollo Federation 2 subgraph, over real HTTP: its `_service` SDL, entity
 * resolution through `_entities` (simple and composite keys) against the simulator's data,
 * static composition with a second subgraph, and a real Apollo Gateway joining both at runtime
 * while forwarding the client's Authorization header to the facade.
 */
import { composeServices } from '@apollo/composition';
import { buildASTSchema, isObjectType, parse, type GraphQLObjectType } from 'graphql';
import { definitions } from '../src/definitions/graph.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REVIEWS_SDL,
  starsFor,
  startGateway,
  startReviewsSubgraph,
  type RunningGateway,
  type RunningSubgraph,
} from './support/federation.js';
import { scalarText } from '../src/datasources/records.js';
import { P } from './support/graph.js';
import { SMALL_WORLD, startStack, TOKEN, type Stack } from './support/stack.js';

/** 100 charge points, so that an `_entities` call can ask for 100 distinct ones. */
const WORLD = { ...SMALL_WORLD, chargePoints: 100, evses: 140, connectors: 180 };
/**
 * The 100-charge-point test's own credential: how the facade reads many ids depends on the collection
 * sizes it learnt from earlier requests of the same credential, so this test starts from none.
 */
const ENTITIES_TOKEN = 'federation-entities-token';

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on ChargePoint { id name locationId chargingZoneId externalId location { id } }
      ... on Location { id externalId city names: name { locale translation } geoposition { latitude longitude } }
      ... on Session { id chargePointId evseId userId startedAt energy }
      ... on User { id email firstName lastName }
      ... on Evse { id chargePointId physicalReference label networkId }
      ... on ChargingZone { id locationId name }
      ... on Connector { id evseId chargePointId type }
    }
  }
`;

const str = (v: unknown): string | null => scalarText(v) ?? null;
/** How the schema spells AMPECO's enum values: `type2` → `TYPE2`. */
const enumValue = (v: unknown): string => String(v).toUpperCase().replace(/[^A-Z0-9]+/g, '_');

let stack: Stack;
let sdl: string;

beforeAll(async () => {
  stack = await startStack({ simulator: { size: WORLD, tokens: [TOKEN, ENTITIES_TOKEN] } });
  const res = await stack.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
  expect(res.errors).toBeUndefined();
  sdl = res.data!._service.sdl;
});

afterAll(async () => {
  await stack?.close();
});

describe('_service { sdl }', () => {
  it('serves the subgraph SDL with the federation @link and every entity @key', async () => {
    // No token: schema loading by a gateway or a registry must not need AMPECO credentials.
    const res = await stack.gql<{ _service: { sdl: string } }>('{ _service { sdl } }', undefined, { token: null });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!._service.sdl).toBe(sdl);

    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \[[^\]]*"@key"[^\]]*\]\)/);
    // Every entity of the derived definitions, keyed by its id (and its parent's id when only its parent's path reaches it).
    const entities = definitions.resources.map((r) => [r.name, r.parents?.length ? `id ${r.parents.at(-1)!.field}` : 'id'] as const);
    expect(entities.length).toBeGreaterThan(60);
    for (const [type, key] of [...entities, ['ChargingZone', 'id locationId'], ['Connector', 'id evseId']]) {
      expect(sdl, `${type} @key`).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "${key}"\\)`));
    }
    // A Federation 2 subgraph's SDL is its full schema, `_Entity` union included.
    const entityUnion = /union _Entity = (.+)/.exec(sdl)?.[1]?.split(/\s*\|\s*/).sort();
    expect(entityUnion).toEqual(entities.map(([name]) => name).sort());
  });
});

describe('_entities', () => {
  it('resolves every entity type, simple and composite keys, against the seeded data', async () => {
    const store = stack.sim.store;
    const cps = store.list('ChargePoint').slice(0, 3);
    const location = store.list('Location')[1]!;
    const session = store.list('Session')[0]!;
    const user = store.list('User')[2]!;
    const evse = store.list('Evse')[4]!;
    const zone = store.list('ChargingZone').at(-1)!;
    const connector = store.list('Connector')[5]!;
    const connectorEvse = store.parentsOf('Connector', connector.id)!.evse!;

    const representations = [
      { __typename: 'ChargePoint', id: str(cps[0]!.id) },
      { __typename: 'ChargePoint', id: '999999' },
      { __typename: 'ChargePoint', id: str(cps[1]!.id) },
      { __typename: 'ChargePoint', id: str(cps[2]!.id) },
      { __typename: 'Location', id: str(location.id) },
      { __typename: 'Session', id: str(session.id) },
      { __typename: 'User', id: str(user.id) },
      { __typename: 'Evse', id: str(evse.id) },
      { __typename: 'ChargingZone', id: str(zone.id), locationId: str(zone.locationId) },
      { __typename: 'Connector', id: str(connector.id), evseId: str(connectorEvse) },
    ];
    const res = await stack.gql<{ _entities: (Record<string, unknown> | null)[] }>(ENTITIES, { representations });
    expect(res.errors).toBeUndefined();
    const [cp0, unknown, cp1, cp2, loc, sess, usr, ev, zn, conn] = res.data!._entities;

    const chargePoint = (r: (typeof cps)[number]) => ({
      __typename: 'ChargePoint',
      id: str(r.id),
      name: r.name,
      locationId: str(r.locationId),
      chargingZoneId: str(r.chargingZoneId),
      externalId: str(r.externalId),
      location: r.locationId == null ? null : { id: str(r.locationId) },
    });
    expect(cp0).toEqual(chargePoint(cps[0]!));
    expect(unknown).toBeNull();
    expect(cp1).toEqual(chargePoint(cps[1]!));
    expect(cp2).toEqual(chargePoint(cps[2]!));
    expect(loc).toEqual({
      __typename: 'Location',
      id: str(location.id),
      externalId: str(location.externalId),
      city: location.city,
      names: location.name,
      geoposition: location.geoposition,
    });
    expect(sess).toEqual({
      __typename: 'Session',
      id: str(session.id),
      chargePointId: str(session.chargePointId),
      evseId: str(session.evseId),
      userId: str(session.userId),
      startedAt: session.startedAt,
      energy: session.energy,
    });
    expect(usr).toEqual({
      __typename: 'User',
      id: str(user.id),
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
    });
    expect(ev).toEqual({
      __typename: 'Evse',
      id: str(evse.id),
      chargePointId: str(evse.chargePointId),
      physicalReference: evse.physicalReference,
      label: evse.label ?? null,
      networkId: str(evse.networkId),
    });
    expect(zn).toEqual({ __typename: 'ChargingZone', id: str(zone.id), locationId: str(zone.locationId), name: zone.name });
    expect(conn).toEqual({
      __typename: 'Connector',
      id: str(connector.id),
      evseId: str(connectorEvse),
      chargePointId: str(store.parentsOf('Connector', connector.id)!.chargePoint),
      type: enumValue(connector.type),
    });
  });

  it('answers null for a composite key whose parent part does not match', async () => {
    const store = stack.sim.store;
    const zone = store.list('ChargingZone')[0]!;
    const otherLocation = store.list('Location').find((l) => l.id !== zone.locationId)!;
    const connector = store.list('Connector')[0]!;
    const otherEvse = store.list('Evse').find((e) => e.id !== store.parentsOf('Connector', connector.id)!.evse)!;
    const res = await stack.gql<{ _entities: unknown[] }>(ENTITIES, {
      representations: [
        { __typename: 'ChargingZone', id: str(zone.id), locationId: str(otherLocation.id) },
        { __typename: 'Connector', id: str(connector.id), evseId: str(otherEvse.id) },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([null, null]);
  });

  it('reads sub-resources sharing a parent with one upstream call', async () => {
    const store = stack.sim.store;
    const evse = store.list('Evse').find((e) => store.children('Connector', { evse: e.id }).length >= 2)!;
    const connectors = store.children('Connector', { evse: evse.id });
    stack.sim.clearLog();
    const res = await stack.gql<{ _entities: { id: string; type: string }[] }>(ENTITIES, {
      representations: connectors.map((c) => ({ __typename: 'Connector', id: str(c.id), evseId: str(evse.id) })),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((c) => c.id)).toEqual(connectors.map((c) => str(c.id)));
    expect(res.data!._entities.map((c) => c.type)).toEqual(connectors.map((c) => enumValue(c.type)));
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('looks up 100 charge points with one scan of the listing, and duplicates once', async () => {
    const all = stack.sim.store.list('ChargePoint');
    expect(all).toHaveLength(WORLD.chargePoints);
    const ids = all.slice(0, 100).map((cp) => String(cp.id));
    const query = /* GraphQL */ `
      query($r: [_Any!]!) { _entities(representations: $r) { ... on ChargePoint { id name location { id } } } }
    `;

    // 100 distinct ids.
    stack.sim.clearLog();
    const distinct = await stack.gql<{ _entities: { id: string; name: string }[] }>(
      query,
      { r: ids.map((id) => ({ __typename: 'ChargePoint', id })) },
      { token: ENTITIES_TOKEN },
    );
    expect(distinct.errors).toBeUndefined();
    expect(distinct.data!._entities.map((e) => e.id)).toEqual(ids);
    expect(distinct.data!._entities.map((e) => e.name)).toEqual(all.slice(0, 100).map((cp) => cp.name));
    // One page of 100 holds every charge point: one scan instead of 100 reads; `location { id }` needs no call.
    expect(stack.sim.log.map((e) => e.path)).toEqual([P.chargePoints]);

    // 100 representations over 10 ids: duplicates are fetched once.
    stack.sim.clearLog();
    const repeated = ids.slice(0, 10);
    const dup = await stack.gql<{ _entities: { id: string }[] }>(
      query,
      { r: Array.from({ length: 100 }, (_, i) => ({ __typename: 'ChargePoint', id: repeated[i % 10] })) },
      { token: ENTITIES_TOKEN },
    );
    expect(dup.errors).toBeUndefined();
    expect(dup.data!._entities.map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, i) => repeated[i % 10]));
    expect(stack.sim.log.map((e) => e.path)).toEqual([P.chargePoints]);
  });
});

describe('federated tracing (ftv1)', () => {
  const traced = async (headers: Record<string, string>): Promise<{ data?: unknown; extensions?: Record<string, unknown> }> => {
    const res = await fetch(stack.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body: JSON.stringify({ query: '{ chargePoints(first: 2) { nodes { id } } }' }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { data?: unknown; extensions?: Record<string, unknown> };
  };

  it('a gateway that asks for a trace gets one: field timings in extensions.ftv1', async () => {
    const body = await traced({ 'apollo-federation-include-trace': 'ftv1' });
    expect(typeof body.extensions?.ftv1).toBe('string');
    // A protobuf Trace, base64: long enough to hold the root and field nodes.
    expect(Buffer.from(body.extensions!.ftv1 as string, 'base64').length).toBeGreaterThan(20);
  });

  it('any other request gets none', async () => {
    expect((await traced({})).extensions?.ftv1).toBeUndefined();
    expect((await traced({ 'apollo-federation-include-trace': 'other' })).extensions?.ftv1).toBeUndefined();
  });
});

describe('composition', () => {
  it('composes the facade with a subgraph that extends ChargePoint', () => {
    const result = composeServices([
      { name: 'ampeco', typeDefs: parse(sdl), url: 'http://ampeco.invalid/graphql' },
      { name: 'reviews', typeDefs: parse(REVIEWS_SDL), url: 'http://reviews.invalid/graphql' },
    ]);
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const supergraphSdl = result.supergraphSdl!;
    expect(supergraphSdl).toMatch(/join__graph\(name: "ampeco"/);
    expect(supergraphSdl).toMatch(/join__graph\(name: "reviews"/);

    const supergraph = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
    const chargePoint = supergraph.getType('ChargePoint') as GraphQLObjectType;
    expect(isObjectType(chargePoint)).toBe(true);
    const fields = chargePoint.getFields();
    expect(fields.name?.type.toString()).toBe('String!');
    expect(fields.location?.type.toString()).toBe('Location');
    expect(fields.reviews?.type.toString()).toBe('[Review!]!');
    expect(supergraph.getType('Review')).toBeDefined();
    // Both graphs' root fields are reachable from the one Query type.
    const query = supergraph.getQueryType()!.getFields();
    expect(query.chargePoints).toBeDefined();
    expect(query.featuredChargePoints).toBeDefined();
  });
});

describe('Apollo Gateway in front of the facade and a reviews subgraph', () => {
  let reviews: RunningSubgraph;
  let gateway: RunningGateway;

  beforeAll(async () => {
    const store = stack.sim.store;
    const connectors = store.list('Connector').slice(0, 2);
    reviews = await startReviewsSubgraph({
      chargePoints: ['2', '3'],
      zones: store.list('ChargingZone').slice(0, 2).map((z) => ({ id: String(z.id), locationId: String(z.locationId) })),
      connectors: connectors.map((c) => ({ id: String(c.id), evseId: String(store.parentsOf('Connector', c.id)!.evse) })),
    });
    // The facade holds no token of its own: it only works if the gateway forwards the client's.
    gateway = await startGateway([
      { name: 'ampeco', url: stack.server.graphqlUrl },
      { name: 'reviews', url: reviews.url },
    ]);
  });

  afterAll(async () => {
    await gateway?.close();
    await reviews?.close();
  });

  it('joins a listing of the facade with reviews', async () => {
    stack.sim.clearLog();
    const res = await gateway.gql<{ chargePoints: { nodes: { id: string; name: string; reviews: { stars: number }[] }[] } }>(
      '{ chargePoints(first: 3) { nodes { id name reviews { stars } } } }',
    );
    expect(res.errors).toBeUndefined();
    const expected = stack.sim.store
      .list('ChargePoint')
      .slice(0, 3)
      .map((cp) => ({ id: String(cp.id), name: cp.name, reviews: starsFor(String(cp.id)).map((stars) => ({ stars })) }));
    expect(res.data!.chargePoints.nodes).toEqual(expected);
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('joins a single charge point with its location and reviews', async () => {
    stack.sim.clearLog();
    const res = await gateway.gql<{ chargePoint: { name: string; location: { id: string } | null; reviews: { stars: number }[] } }>(
      '{ chargePoint(id: "1") { name location { id } reviews { stars } } }',
    );
    expect(res.errors).toBeUndefined();
    const cp = stack.sim.store.get('ChargePoint', 1)!;
    expect(res.data!.chargePoint).toEqual({
      name: cp.name,
      location: { id: String(cp.locationId) },
      reviews: starsFor('1').map((stars) => ({ stars })),
    });
    // One read of the charge point; the location's id comes from the record. The bearer token
    // reached AMPECO through gateway and facade.
    expect(stack.sim.log.map((e) => e.path)).toEqual(['/public-api/resources/charge-points/v2.0/1']);
    expect(stack.sim.log.every((e) => e.authPresent && e.status === 200)).toBe(true);
  });

  it('resolves facade entities referenced by the other subgraph, composite keys included', async () => {
    stack.sim.clearLog();
    const res = await gateway.gql<{
      featuredChargePoints: { id: string; name: string; reviews: { stars: number }[] }[];
      featuredZones: { id: string; locationId: string; name: string; location: { id: string } }[];
      featuredConnectors: { id: string; evseId: string; type: string; chargePoint: { id: string; name: string } }[];
    }>(/* GraphQL */ `
      {
        featuredChargePoints { id name reviews { stars } }
        featuredZones { id locationId name location { id } }
        featuredConnectors { id evseId type chargePoint { id name } }
      }
    `);
    expect(res.errors).toBeUndefined();
    const store = stack.sim.store;
    expect(res.data!.featuredChargePoints).toEqual(
      ['2', '3'].map((id) => ({ id, name: store.get('ChargePoint', id)!.name, reviews: starsFor(id).map((stars) => ({ stars })) })),
    );
    expect(res.data!.featuredZones).toEqual(
      store
        .list('ChargingZone')
        .slice(0, 2)
        .map((z) => ({ id: String(z.id), locationId: String(z.locationId), name: z.name, location: { id: String(z.locationId) } })),
    );
    expect(res.data!.featuredConnectors).toEqual(
      store
        .list('Connector')
        .slice(0, 2)
        .map((c) => {
          const parents = store.parentsOf('Connector', c.id)!;
          return {
            id: String(c.id),
            evseId: String(parents.evse),
            type: enumValue(c.type),
            chargePoint: { id: String(parents.chargePoint), name: store.get('ChargePoint', parents.chargePoint!)!.name },
          };
        }),
    );
    // One read per distinct record: the charge points, and each composite key's parent (with its
    // children embedded) once, however many of its children were referenced.
    const zoneLocations = new Set(res.data!.featuredZones.map((z) => z.locationId));
    const connectorEvses = new Set(res.data!.featuredConnectors.map((c) => c.evseId));
    const chargePoints = new Set([...res.data!.featuredChargePoints, ...res.data!.featuredConnectors.map((c) => c.chargePoint)].map((cp) => cp.id));
    expect(stack.upstreamCalls()).toBe(chargePoints.size + zoneLocations.size + connectorEvses.size);
  });

  it('passes the missing credential on as UNAUTHENTICATED, not as someone else’s data', async () => {
    stack.sim.clearLog();
    const res = await gateway.gql('{ chargePoint(id: "1") { name reviews { stars } } }', undefined, { token: null });
    // The facade answers 200 with the error on the field, so the gateway passes its message on.
    expect(res.errors?.map((e) => [e.extensions?.code, e.path, e.message])).toEqual([
      ['UNAUTHENTICATED', ['chargePoint'], 'No AMPECO API token: send `Authorization: Bearer <token>` or configure AMPECO_API_TOKEN.'],
    ]);
    expect(res.data).toEqual({ chargePoint: null });
    expect(stack.sim.log).toHaveLength(0);
  });
});
