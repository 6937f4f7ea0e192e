/**
 * The contract change report: crafted SDL pairs for the GraphQL side, crafted and real OpenAPI
 * documents for the operations. Pure functions: no simulator, no network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  diffContracts,
  hasChanges,
  operationsOf,
  renderChangeReport,
  type ChangeReport,
  type ContractSnapshot,
  type OperationSummary,
} from '../../scripts/contract/change-report.js';

// Resolved here rather than imported from the generator, which this test does not otherwise need.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const openApiPath = resolve(root, process.env.AMPECO_OPENAPI ?? '../shared/ampeco/openapi.json');

function snapshot(sdl: string, operations: OperationSummary[] = [], version = '1.0.0'): ContractSnapshot {
  return { version, sdl, operations };
}

/** A report with nothing in it, to spread the expected sections over. */
function empty(before = '1.0.0', after = '1.0.0'): ChangeReport {
  const members = () => ({ added: [], removed: [], retyped: [] });
  return {
    versions: { before, after },
    types: { added: [], removed: [] },
    fields: members(),
    arguments: members(),
    inputFields: members(),
    enumValues: { added: [], removed: [] },
    unionMembers: { added: [], removed: [] },
    operations: { added: [], removed: [], deprecated: [], changed: [] },
    overlayMisses: [],
  };
}

function diffSdl(before: string, after: string): ChangeReport {
  return diffContracts(snapshot(before), snapshot(after), []);
}

const op = (operationId: string, method: string, path: string, deprecated = false): OperationSummary => ({ operationId, method, path, deprecated });

describe('GraphQL types', () => {
  const common = `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
    "A page's position." type PageInfo @shareable { hasNextPage: Boolean! }
    type ChargePoint @key(fields: "id") { id: ID! status: ChargePointStatus! }
    enum ChargePointStatus { AVAILABLE CHARGING }
  `;

  it('reports nothing for the same SDL, and says so', () => {
    const report = diffSdl(common, common);
    expect(report).toEqual(empty());
    expect(hasChanges(report)).toBe(false);
    expect(renderChangeReport(report)).toBe('AMPECO contract 1.0.0\nNo changes.\n');
  });

  it('ignores descriptions and directives', () => {
    const reworded = common.replace(`"A page's position."`, '"""Where a page sits."""').replace('@key(fields: "id")', '@key(fields: "id") @shareable');
    expect(hasChanges(diffSdl(common, reworded))).toBe(false);
  });

  it('lists types added and removed with their kind', () => {
    const after = `
      ${common.replace('enum ChargePointStatus { AVAILABLE CHARGING }', '')}
      scalar DateTime
      input CdrFilter { from: DateTime }
      union SearchResult = ChargePoint | PageInfo
      interface Node { id: ID! }
      type Cdr { id: ID! }
    `;
    // ChargePoint.status still names the removed enum: the SDL is compared, not validated.
    expect(diffSdl(common, after)).toEqual({
      ...empty(),
      types: {
        added: [
          { name: 'Cdr', kind: 'object' },
          { name: 'CdrFilter', kind: 'input' },
          { name: 'DateTime', kind: 'scalar' },
          { name: 'Node', kind: 'interface' },
          { name: 'SearchResult', kind: 'union' },
        ],
        removed: [{ name: 'ChargePointStatus', kind: 'enum' }],
      },
    });
  });

  it('reports a type whose kind changed as removed and added, without comparing its members', () => {
    const after = common.replace('enum ChargePointStatus { AVAILABLE CHARGING }', 'type ChargePointStatus { code: String }');
    expect(diffSdl(common, after)).toEqual({
      ...empty(),
      types: { added: [{ name: 'ChargePointStatus', kind: 'object' }], removed: [{ name: 'ChargePointStatus', kind: 'enum' }] },
    });
  });

  it('refuses an SDL that gives one name two kinds', () => {
    expect(() => diffSdl(common, `${common} extend type ChargePointStatus { code: String }`)).toThrow(
      'SDL defines ChargePointStatus both as enum and as object.',
    );
  });
});

describe('fields, arguments, input fields, enum values, union members', () => {
  it('reports fields added, removed and retyped; the arguments of an added field ride on its line', () => {
    const before = `type ChargePoint { id: ID! status: ChargePointStatus! name: String evses: [Evse!]! }`;
    const after = `type ChargePoint { id: ID! status: ChargePointStatus name: String! sessions(first: Int = 25, after: String): SessionConnection }`;
    const report = diffSdl(before, after);
    expect(report).toEqual({
      ...empty(),
      fields: {
        added: [{ owner: 'ChargePoint', name: 'sessions', type: 'SessionConnection', arguments: ['first: Int = 25', 'after: String'] }],
        removed: [{ owner: 'ChargePoint', name: 'evses', type: '[Evse!]!', arguments: [] }],
        retyped: [
          { owner: 'ChargePoint', name: 'name', before: 'String', after: 'String!' },
          { owner: 'ChargePoint', name: 'status', before: 'ChargePointStatus!', after: 'ChargePointStatus' },
        ],
      },
    });
    expect(renderChangeReport(report)).toBe(
      [
        'AMPECO contract 1.0.0',
        'Fields: +1 -1 ~2',
        '  - ChargePoint.evses: [Evse!]!',
        '  ~ ChargePoint.name: String -> String!',
        '  + ChargePoint.sessions(first: Int = 25, after: String): SessionConnection',
        '  ~ ChargePoint.status: ChargePointStatus! -> ChargePointStatus',
        '',
      ].join('\n'),
    );
  });

  it('reports argument changes, defaults included, on root fields and on other types', () => {
    const before = `
      extend type Query { chargePoints(first: Int = 25, after: String): ChargePointConnection location(id: ID!): Location }
      type Location { evses(first: Int): [Evse!]! }
    `;
    const after = `
      extend type Query { chargePoints(first: Int = 50, filter: ChargePointFilter): ChargePointConnection location(id: ID!): Location }
      type Location { evses(first: Int!): [Evse!] }
    `;
    const report = diffSdl(before, after);
    expect(report).toEqual({
      ...empty(),
      fields: { added: [], removed: [], retyped: [{ owner: 'Location', name: 'evses', before: '[Evse!]!', after: '[Evse!]' }] },
      arguments: {
        added: [{ owner: 'Query.chargePoints', name: 'filter', type: 'ChargePointFilter' }],
        removed: [{ owner: 'Query.chargePoints', name: 'after', type: 'String' }],
        retyped: [
          { owner: 'Location.evses', name: 'first', before: 'Int', after: 'Int!' },
          { owner: 'Query.chargePoints', name: 'first', before: 'Int = 25', after: 'Int = 50' },
        ],
      },
    });
    expect(renderChangeReport(report)).toBe(
      [
        'AMPECO contract 1.0.0',
        'Fields: ~1',
        '  ~ Location.evses: [Evse!]! -> [Evse!]',
        'Arguments: +1 -1 ~2',
        '  ~ Location.evses(first): Int -> Int!',
        '  - Query.chargePoints(after: String)',
        '  + Query.chargePoints(filter: ChargePointFilter)',
        '  ~ Query.chargePoints(first): Int = 25 -> Int = 50',
        '',
      ].join('\n'),
    );
  });

  it('merges definitions and extension blocks by name: a field moving between blocks is no change', () => {
    const before = `
      extend type Query { chargePoint(id: ID!): ChargePoint }
      extend type Query { location(id: ID!): Location }
      type ChargePoint @key(fields: "id") { id: ID! }
      extend type ChargePoint { name: String }
      enum Status { A }
      extend enum Status { B }
    `;
    const after = `
      type Query { chargePoint(id: ID!): ChargePoint location(id: ID!): Location }
      extend type Query { cdr(id: ID!): Cdr }
      type ChargePoint @key(fields: "id") { id: ID! name: String }
      enum Status { B C }
      extend enum Status { A }
    `;
    expect(diffSdl(before, after)).toEqual({
      ...empty(),
      // Cdr is named but not defined on either side: only the field is new.
      fields: { added: [{ owner: 'Query', name: 'cdr', type: 'Cdr', arguments: ['id: ID!'] }], removed: [], retyped: [] },
      enumValues: { added: [{ owner: 'Status', name: 'C' }], removed: [] },
    });
  });

  it('reports enum values added and removed', () => {
    const report = diffSdl('enum ChargePointStatus { AVAILABLE CHARGING OFFLINE }', 'enum ChargePointStatus { AVAILABLE CHARGING FAULTED RESERVED }');
    expect(report).toEqual({
      ...empty(),
      enumValues: {
        added: [
          { owner: 'ChargePointStatus', name: 'FAULTED' },
          { owner: 'ChargePointStatus', name: 'RESERVED' },
        ],
        removed: [{ owner: 'ChargePointStatus', name: 'OFFLINE' }],
      },
    });
    expect(renderChangeReport(report)).toBe(
      ['AMPECO contract 1.0.0', 'Enum values: +2 -1', '  + ChargePointStatus.FAULTED', '  - ChargePointStatus.OFFLINE', '  + ChargePointStatus.RESERVED', ''].join('\n'),
    );
  });

  it('reports input fields added, removed and retyped, defaults included', () => {
    const before = `input CreateCdrInput { name: String! limit: Int = 10 note: String }`;
    const after = `input CreateCdrInput { name: String limit: Int = 20 tariffId: ID! }
      extend input CreateCdrInput { currency: String }`;
    expect(diffSdl(before, after)).toEqual({
      ...empty(),
      inputFields: {
        added: [
          { owner: 'CreateCdrInput', name: 'currency', type: 'String' },
          { owner: 'CreateCdrInput', name: 'tariffId', type: 'ID!' },
        ],
        removed: [{ owner: 'CreateCdrInput', name: 'note', type: 'String' }],
        retyped: [
          { owner: 'CreateCdrInput', name: 'limit', before: 'Int = 10', after: 'Int = 20' },
          { owner: 'CreateCdrInput', name: 'name', before: 'String!', after: 'String' },
        ],
      },
    });
  });

  it('reports union members and interface fields', () => {
    const before = `union Result = A | B  interface Node { id: ID! }`;
    const after = `union Result = A | C  interface Node { id: String! }`;
    expect(diffSdl(before, after)).toEqual({
      ...empty(),
      fields: { added: [], removed: [], retyped: [{ owner: 'Node', name: 'id', before: 'ID!', after: 'String!' }] },
      unionMembers: { added: [{ owner: 'Result', name: 'C' }], removed: [{ owner: 'Result', name: 'B' }] },
    });
  });
});

describe('operations of an OpenAPI document', () => {
  it('reads get/post/put/patch/delete with their deprecated flag, and nothing else', () => {
    const doc = {
      openapi: '3.0.0',
      paths: {
        '/things': {
          parameters: [{ name: 'x', in: 'query' }],
          get: { operationId: 'listThings' },
          post: { operationId: 'createThing', deprecated: true },
          head: { operationId: 'headThings' },
          options: { operationId: 'optionsThings' },
          summary: 'not an operation',
        },
        '/things/{thing}': {
          delete: { operationId: 'deleteThing', deprecated: false },
          patch: { operationId: 'patchThing', deprecated: 'yes' },
          put: {},
        },
        '/broken': 'not a path item',
      },
    };
    expect(operationsOf(doc)).toEqual([
      op('listThings', 'GET', '/things'),
      op('createThing', 'POST', '/things', true),
      // No operationId: keyed by method and path so it is still reported.
      op('PUT /things/{thing}', 'PUT', '/things/{thing}'),
      op('patchThing', 'PATCH', '/things/{thing}'),
      op('deleteThing', 'DELETE', '/things/{thing}'),
    ]);
  });

  it('reads no operations from something that is not a document', () => {
    expect(operationsOf(undefined)).toEqual([]);
    expect(operationsOf({ paths: [] })).toEqual([]);
  });

  it('diffs operations: new, gone, newly deprecated, moved', () => {
    const before = [
      op('listThings', 'GET', '/things'),
      op('createThing', 'POST', '/things'),
      op('oldThing', 'GET', '/old', true),
      op('updateThing', 'PUT', '/things/{thing}'),
      op('deleteThing', 'DELETE', '/things/{thing}'),
    ];
    const after = [
      op('updateThing', 'PATCH', '/things/{thing}', true),
      op('listThings', 'GET', '/v2/things'),
      op('createThing', 'POST', '/things', true),
      op('deleteThing', 'DELETE', '/things/{thing}'),
      op('archiveThing', 'POST', '/things/{thing}/archive'),
    ];
    const report = diffContracts(snapshot('scalar X', before, '3.110.0'), snapshot('scalar X', after, '3.111.0'), []);
    expect(report).toEqual({
      ...empty('3.110.0', '3.111.0'),
      operations: {
        added: [op('archiveThing', 'POST', '/things/{thing}/archive')],
        removed: [op('oldThing', 'GET', '/old', true)],
        deprecated: [op('createThing', 'POST', '/things', true), op('updateThing', 'PATCH', '/things/{thing}', true)],
        changed: [
          { operationId: 'listThings', before: { method: 'GET', path: '/things' }, after: { method: 'GET', path: '/v2/things' } },
          { operationId: 'updateThing', before: { method: 'PUT', path: '/things/{thing}' }, after: { method: 'PATCH', path: '/things/{thing}' } },
        ],
      },
    });
    expect(renderChangeReport(report)).toBe(
      [
        'AMPECO contract 3.110.0 -> 3.111.0',
        'Operations: +1 -1 ~2 !2',
        '  + archiveThing POST /things/{thing}/archive',
        '  ! createThing POST /things (deprecated)',
        '  ~ listThings: GET /things -> GET /v2/things',
        '  - oldThing GET /old (deprecated)',
        '  ~ updateThing: PUT /things/{thing} -> PATCH /things/{thing}',
        '  ! updateThing PATCH /things/{thing} (deprecated)',
        '',
      ].join('\n'),
    );
  });
});

describe('the whole report', () => {
  it('reports overlay misses as given, sorted once each, and counts them as changes', () => {
    const misses = ['resources.Session.relations.tariff: no property tariffId', 'actions.stopCharging: no operation stopChargingV1', 'resources.Session.relations.tariff: no property tariffId'];
    const report = diffContracts(snapshot('scalar X'), snapshot('scalar X'), misses);
    expect(report).toEqual({ ...empty(), overlayMisses: [misses[1], misses[0]] });
    expect(hasChanges(report)).toBe(true);
    expect(renderChangeReport(report)).toBe(
      [
        'AMPECO contract 1.0.0',
        'Overlay misses: 2',
        '  ? actions.stopCharging: no operation stopChargingV1',
        '  ? resources.Session.relations.tariff: no property tariffId',
        '',
      ].join('\n'),
    );
  });

  it('renders every section in a fixed order, whatever the order of the input', () => {
    const before = snapshot(
      `type B { x: Int }  type A { y: Int }  enum E { ONE }  input I { a: Int }  union U = A  extend type Query { b(x: Int): B }`,
      [op('gone', 'GET', '/gone'), op('kept', 'GET', '/kept')],
      '1.0.0',
    );
    const after = snapshot(
      `extend type Query { b(x: ID): B }  union U = A | B  input I { a: Int! }  enum E { ONE TWO }  type A { y: Int z: Int }  type C { id: ID! }`,
      [op('kept', 'GET', '/kept', true), op('new', 'POST', '/new')],
      '2.0.0',
    );
    const text = renderChangeReport(diffContracts(before, after, ['overlay: x']));
    expect(text).toBe(
      [
        'AMPECO contract 1.0.0 -> 2.0.0',
        'Types: +1 -1',
        '  - type B',
        '  + type C',
        'Fields: +1',
        '  + A.z: Int',
        'Arguments: ~1',
        '  ~ Query.b(x): Int -> ID',
        'Input fields: ~1',
        '  ~ I.a: Int -> Int!',
        'Enum values: +1',
        '  + E.TWO',
        'Union members: +1',
        '  + U | B',
        'Operations: +1 -1 !1',
        '  - gone GET /gone',
        '  ! kept GET /kept (deprecated)',
        '  + new POST /new',
        'Overlay misses: 1',
        '  ? overlay: x',
        '',
      ].join('\n'),
    );
    // Shuffled inputs give the same text.
    const shuffled = diffContracts(
      { ...before, operations: [...before.operations].reverse() },
      { ...after, operations: [...after.operations].reverse() },
      ['overlay: x'],
    );
    expect(renderChangeReport(shuffled)).toBe(text);
  });
});

describe.skipIf(!existsSync(openApiPath))(`operations of AMPECO's contract (${openApiPath})`, () => {
  const load = (): Record<string, any> => JSON.parse(readFileSync(openApiPath, 'utf8'));

  it('reads every operation once, as the document states it', () => {
    const doc = load();
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(0);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const o of ops) {
      const stated = doc.paths[o.path][o.method.toLowerCase()];
      expect({ id: stated.operationId, deprecated: stated.deprecated === true }).toEqual({ id: o.operationId, deprecated: o.deprecated });
    }
    const sdl = 'scalar JSON';
    expect(hasChanges(diffContracts(snapshot(sdl, ops), snapshot(sdl, operationsOf(structuredClone(doc))), []))).toBe(false);
  });

  it('reports exactly the operations removed, added, deprecated and moved in a modified copy', () => {
    const doc = load();
    const version = String(doc.info.version);
    const ops = operationsOf(doc);
    const byId = [...ops].sort((a, b) => (a.operationId < b.operationId ? -1 : 1));

    // Picked from the document, so that the test follows a newer contract: the first path in code-unit
    // order moves (all its operations with it), and two operations elsewhere are removed and deprecated.
    const movedFrom = Object.keys(doc.paths).sort()[0]!;
    const movedTo = `${movedFrom}/moved-by-test`;
    const moved = byId.filter((o) => o.path === movedFrom);
    const removed = byId.find((o) => o.path !== movedFrom)!;
    const deprecated = byId.find((o) => o.path !== movedFrom && o !== removed && !o.deprecated)!;
    const addedPath = '/public-api/resources/change-report-test/v1.0';
    expect({ moved: moved.length > 0, removed: removed !== undefined, deprecated: deprecated !== undefined, free: !(addedPath in doc.paths) }).toEqual({
      moved: true,
      removed: true,
      deprecated: true,
      free: true,
    });
    expect(ops.some((o) => o.operationId === 'changeReportTestCreate')).toBe(false);

    const modified = structuredClone(doc);
    delete modified.paths[removed.path][removed.method.toLowerCase()];
    modified.paths[deprecated.path][deprecated.method.toLowerCase()].deprecated = true;
    modified.paths[movedTo] = modified.paths[movedFrom];
    delete modified.paths[movedFrom];
    modified.paths[addedPath] = { post: { operationId: 'changeReportTestCreate', responses: { '201': { description: 'Created.' } } } };

    const sdl = 'type Query { ping: Boolean }';
    const report = diffContracts(snapshot(sdl, ops, version), snapshot(sdl, operationsOf(modified), version), []);
    expect(report).toEqual({
      ...empty(version, version),
      operations: {
        added: [op('changeReportTestCreate', 'POST', addedPath)],
        removed: [removed],
        deprecated: [{ ...deprecated, deprecated: true }],
        changed: moved.map((o) => ({ operationId: o.operationId, before: { method: o.method, path: movedFrom }, after: { method: o.method, path: movedTo } })),
      },
    });
    // The original is untouched by the modification.
    expect(operationsOf(doc)).toEqual(ops);
  });
});
