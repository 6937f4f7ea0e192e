/**
 * The typed client example (examples/typed-client): its generated code matches the published SDL and
 * its operations, its operations return what AMPECO holds, its script runs end to end, and its types
 * reject a field the operation did not select or a variable of the wrong type.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ChargePointDetailsQuery, ChargePointFilter, RecentSessionsQuery, RenameChargePointMutation } from '../../examples/typed-client/__generated__/graphql.js';
import { createClient, GraphQLRequestError, type Execute } from '../../examples/typed-client/client.js';
import { ChargePointDetails, ChargePointsMatching, RecentSessions, RenameChargePoint } from '../../examples/typed-client/operations.js';
import type { SimRecord } from '../../simulator/index.js';
import { idOrNull, idsOf, screaming } from '../support/graph.js';
import { startStack, TOKEN, type Stack } from '../support/stack.js';

const root = resolve(import.meta.dirname, '../..');
const example = join(root, 'examples/typed-client');

describe('examples/typed-client/__generated__ is up to date', () => {
  it('matches graphql-codegen output (examples/typed-client/codegen.ts)', async () => {
    const { default: config } = await import('../../examples/typed-client/codegen.js');
    const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: root, silent: true }, false);
    const generated = new Map(outputs.map((o) => [relative(root, resolve(root, o.filename)), o.content]));
    // A file the preset no longer writes (fragment-masking.ts after turning masking off) is stale too.
    const onDisk = readdirSync(join(example, '__generated__')).map((f) => `examples/typed-client/__generated__/${f}`);
    expect(onDisk.sort()).toEqual([...generated.keys()].sort());
    for (const [file, content] of generated) {
      expect(readFileSync(join(root, file), 'utf8'), `${file} is stale: run npm run generate:client`).toBe(content);
    }
  }, 60_000);
});

describe('the example operations against the facade on the simulator', () => {
  let stack: Stack;
  let execute: Execute;
  beforeAll(async () => {
    stack = await startStack();
    execute = createClient({ url: stack.server.graphqlUrl, token: TOKEN });
  });
  afterAll(() => stack?.close());

  const store = () => stack.sim.store;
  const chargePointName = (id: unknown) => store().get('ChargePoint', id as number)!.name;
  const sessionSummary = (s: SimRecord) => ({
    id: String(s.id),
    status: screaming(s.status as string),
    startedAt: s.startedAt,
    stoppedAt: s.stoppedAt ?? null,
    chargePoint: { id: String(s.chargePointId), name: chargePointName(s.chargePointId) },
  });

  it('ChargePointDetails: the charge point, its location and its EVSEs with their connectors', async () => {
    // The charge point with the most EVSEs, so that the order of its EVSE list is checked too.
    const evsesOf = (cp: SimRecord) => store().list('Evse').filter((e) => e.chargePointId === cp.id);
    const cp = store().list('ChargePoint').reduce((best, c) => (evsesOf(c).length > evsesOf(best).length ? c : best));
    expect(evsesOf(cp).length).toBeGreaterThanOrEqual(3);
    const location = store().get('Location', cp.locationId as number)!;

    const result = await execute(ChargePointDetails, { id: String(cp.id) });
    // The result's type is the operation's, not `any`: tsc (npm run typecheck) checks this line.
    expectTypeOf(result).toEqualTypeOf<ChargePointDetailsQuery>();
    expect(result).toEqual({
      chargePoint: {
        id: String(cp.id),
        name: cp.name,
        status: screaming(cp.status),
        networkStatus: screaming(cp.networkStatus as string),
        location: { id: String(location.id), city: location.city, name: location.name },
        evses: evsesOf(cp).map((e) => ({
          id: String(e.id),
          networkId: String(e.networkId),
          physicalReference: e.physicalReference,
          currentType: screaming(e.currentType as string),
          status: screaming(e.status),
          connectors: store()
            .children('Connector', { evse: e.id })
            .map((c) => ({ id: String(c.id), type: screaming(c.type), format: screaming(c.format as string) })),
        })),
      },
    });
  });

  it('ChargePointDetails: an id AMPECO does not know reads as null', async () => {
    expect(await execute(ChargePointDetails, { id: '999999' })).toEqual({ chargePoint: null });
  });

  it('RecentSessions: two pages joined by endCursor are the newest sessions, in order', async () => {
    const first: RecentSessionsQuery = await execute(RecentSessions, { first: 4 });
    const after = first.sessions!.pageInfo.endCursor;
    expect(after).toEqual(expect.any(String));
    const second = await execute(RecentSessions, { first: 4, after });
    const newest = store().list('Session').slice(0, 8).map(sessionSummary);
    expect(first.sessions).toEqual({ pageInfo: { hasNextPage: true, endCursor: after }, nodes: newest.slice(0, 4) });
    expect(second.sessions!.nodes).toEqual(newest.slice(4, 8));
    expect(second.sessions!.pageInfo.hasNextPage).toBe(store().count('Session') > 8);
  });

  it('ChargePointsMatching: the charge points of one location, through a typed filter input', async () => {
    const locationId = store().list('ChargePoint')[0]!.locationId as number;
    const filter: ChargePointFilter = { locationId: String(locationId) };
    const { chargePoints } = await execute(ChargePointsMatching, { filter });
    const expected = store()
      .list('ChargePoint')
      .filter((c) => c.locationId === locationId);
    expect(expected.length).toBeGreaterThan(1);
    expect(chargePoints?.nodes).toEqual(
      expected.map((c) => ({ id: String(c.id), name: c.name, status: screaming(c.status), locationId: idOrNull(c.locationId) })),
    );
    // A filter that matches nothing is an empty page, not null.
    const none = await execute(ChargePointsMatching, { filter: { name: 'no charge point is called this' } });
    expect(none.chargePoints?.nodes).toEqual([]);
  });

  it('RenameChargePoint: the new name is what AMPECO stores; refused input comes back as userErrors', async () => {
    const cp = store().list('ChargePoint').at(-1)!;
    const name = `Renamed ${String(cp.id)} by the typed client`;
    const renamed: RenameChargePointMutation = await execute(RenameChargePoint, { id: String(cp.id), name });
    expect(renamed.updateChargePoint).toEqual({ chargePoint: { id: String(cp.id), name }, userErrors: [] });
    expect(store().get('ChargePoint', cp.id)!.name).toBe(name);

    // AMPECO caps names at 255 characters: a 422, which the payload carries as userErrors.
    const refused = await execute(RenameChargePoint, { id: String(cp.id), name: 'x'.repeat(256) });
    expect(refused.updateChargePoint).toEqual({
      chargePoint: null,
      userErrors: [{ field: ['input', 'name'], message: expect.stringContaining('255'), code: 'INVALID' }],
    });
    expect(store().get('ChargePoint', cp.id)!.name).toBe(name);
  });

  it('GraphQL errors reject with GraphQLRequestError, carrying the errors', async () => {
    const codes = async (pending: Promise<unknown>) => {
      const error: unknown = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphQLRequestError);
      return (error as GraphQLRequestError).errors.map((e) => e.extensions?.code);
    };
    expect(await codes(execute(ChargePointDetails, { id: 'not-an-id' }))).toEqual(['BAD_USER_INPUT']);
    // A write to a record AMPECO does not have is an error, not userErrors (the README's Errors section).
    expect(await codes(execute(RenameChargePoint, { id: '999999', name: 'x' }))).toEqual(['NOT_FOUND']);
  });

  it('index.ts runs the operations in turn and prints what AMPECO holds', async () => {
    const newest = store().list('Session');
    const cp = store().get('ChargePoint', newest[0]!.chargePointId)!;
    const rename = `Renamed by index.ts ${String(cp.id)}`;
    // Read before the script runs: its reads come before its rename.
    const sessionsBefore = newest.slice(0, 6).map(sessionSummary);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(example, 'index.ts')], {
      env: { ...process.env, GRAPHQL_URL: stack.server.graphqlUrl, GRAPHQL_TOKEN: TOKEN, RENAME_TO: rename },
      timeout: 20_000,
    });
    const printed = JSON.parse(stdout);
    expect(printed.recentSessions).toEqual(sessionsBefore.slice(0, 3));
    expect(printed.nextSessions).toEqual(sessionsBefore.slice(3, 6));
    expect(printed.chargePoint.id).toBe(String(cp.id));
    expect(printed.chargePoint.evses.map((e: { id: string }) => e.id)).toEqual(idsOf(store().list('Evse').filter((e) => e.chargePointId === cp.id)));
    expect(printed.chargePointsAtLocation.map((c: { id: string }) => c.id)).toEqual(idsOf(store().list('ChargePoint').filter((c) => c.locationId === cp.locationId)));
    expect(printed.renamed).toEqual({ chargePoint: { id: String(cp.id), name: rename }, userErrors: [] });
    expect(store().get('ChargePoint', cp.id)!.name).toBe(rename);
  }, 30_000);
});

/**
 * What the generated types buy: code that reads a field the operation did not select, or passes a
 * variable of the wrong type, does not compile. Small fixtures, compiled in memory with the project's
 * compiler options.
 */
describe('the generated types reject misuse at compile time', () => {
  const fixture = (body: string) => `import { createClient } from '../../examples/typed-client/client.js';
import { ChargePointDetails, ChargePointsMatching } from '../../examples/typed-client/operations.js';

const execute = createClient({ url: 'http://localhost:4000/graphql' });
export async function use(): Promise<unknown> {
  ${body}
}
`;
  const cases = {
    selected: `const { chargePoint } = await execute(ChargePointDetails, { id: '1' });
  const connector = chargePoint?.evses?.[0]?.connectors?.[0];
  return [chargePoint?.location?.name[0]?.translation, connector?.type === 'TYPE2', chargePoint?.status === 'ENABLED'];`,
    unselectedField: `const { chargePoint } = await execute(ChargePointDetails, { id: '1' });
  return chargePoint?.pin;`,
    wrongVariableType: `return execute(ChargePointDetails, { id: 1 });`,
    missingVariables: `return execute(ChargePointDetails);`,
    unknownFilterField: `return execute(ChargePointsMatching, { filter: { city: 'Sofia' } });`,
    notAnEnumValue: `const { chargePoint } = await execute(ChargePointDetails, { id: '1' });
  return chargePoint?.status === 'ON';`,
  };
  let diagnostics: Map<string, number[]>;

  beforeAll(() => {
    const files = new Map(Object.entries(cases).map(([name, body]) => [join(root, 'test/examples', `typed-client-fixture-${name}.ts`), fixture(body)]));
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    // The example is browser-side code: without the Node typings there is half as much to parse.
    options.types = [];
    const host = ts.createCompilerHost(options);
    const disk = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
    host.getSourceFile = (file, language, ...rest) => {
      const text = files.get(file);
      return text === undefined ? disk.getSourceFile(file, language, ...rest) : ts.createSourceFile(file, text, language);
    };
    host.fileExists = (file) => files.has(file) || disk.fileExists(file);
    host.readFile = (file) => files.get(file) ?? disk.readFile(file);
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    diagnostics = new Map(
      [...files.keys()].map((file) => {
        const source = program.getSourceFile(file)!;
        const name = file.slice(join(root, 'test/examples/typed-client-fixture-').length, -'.ts'.length);
        return [name, [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => d.code)];
      }),
    );
  }, 30_000);

  it('accepts reading what the operation selected, with enum values as literal types', () => {
    expect(diagnostics.get('selected')).toEqual([]);
  });

  it('rejects reading a field the operation did not select', () => {
    expect(diagnostics.get('unselectedField')).toEqual([2339]); // Property 'pin' does not exist
  });

  it('rejects variables of the wrong type, missing variables and unknown filter fields', () => {
    expect(diagnostics.get('wrongVariableType')).toEqual([2322]); // number is not assignable to string
    expect(diagnostics.get('missingVariables')).toEqual([2554]); // Expected 2 arguments, but got 1
    expect(diagnostics.get('unknownFilterField')).toEqual([2353]); // 'city' does not exist in ChargePointFilter
  });

  it('rejects comparing an enum field with a value the enum does not have', () => {
    expect(diagnostics.get('notAnEnumValue')).toEqual([2367]); // This comparison appears to be unintentional
  });
});
