/**
 * Regenerates everything derived from AMPECO's contract:
 *   src/__generated__/graph.json           what the runtime loads: the derived definitions and the contract
 *                                          reduced to what the facade's code reads (compact)
 *   simulator/__generated__/contract.json  the reduced contract with every schema whole (the simulator, tests)
 *   src/__generated__/operations.json      every operation of the contract, for the next change report
 *   schema/__generated__/<domain>.graphql  object types, enums, inputs, queries and mutations per domain
 *   src/__generated__/enums.ts             GraphQL enum value -> AMPECO string maps
 *   src/__generated__/records.ts           each resource's record type (codegen's mappers)
 * and prints what changed against the files it replaces (types, fields, operations, stale overlay entries).
 * Usage: AMPECO_OPENAPI=path/to/openapi.json npm run generate
 * With --check it writes nothing and exits 1 when a file would change.
 */
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contract, ContractOperation, ContractParameter, JsonSchema } from '../src/definitions/contract-model.js';
import { diffContracts, hasChanges, operationsOf, renderChangeReport, type ContractSnapshot, type OperationSummary } from './contract/change-report.js';
import { deriveDefinitions, type Derived } from './contract/derive.js';
import { extractContract, type OpenApiDocument } from './contract/extract.js';
import { renderRecordTypes } from './contract/records.js';
import { federationAdditions } from './contract/federation.js';
import { renderSdl } from './contract/sdl.js';
import { readFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const openApiPath = resolve(root, process.env.AMPECO_OPENAPI ?? '../shared/ampeco/openapi.json');

/** Only the keys of a schema the runtime reads: types and shapes (to coerce ids and map names in request bodies), no constraints or prose. */
function shape(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  const out: JsonSchema = {};
  if (schema.type) out.type = schema.type;
  if (schema.format) out.format = schema.format;
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, shape(v)!]));
  if (schema.items) out.items = shape(schema.items);
  return out;
}

/** A query parameter as the runtime reads it: its name, and the values of `include[]` (what a listing embeds). */
function queryParam(p: ContractParameter): ContractParameter {
  const include = p.name === 'include' || p.name === 'include[]';
  return { name: p.name, required: p.required, schema: include ? { type: 'array', items: { enum: p.schema.items?.enum ?? [] } } : { ...(p.schema.type ? { type: p.schema.type } : {}) } };
}

/** A record as the runtime reads it: its top-level fields' types (scan planning, id checks), nothing nested. */
function shallow(record: JsonSchema): JsonSchema {
  const properties = Object.fromEntries(Object.entries(record.properties ?? {}).map(([k, v]) => [k, { ...(v.type ? { type: v.type } : {}), ...(v.format ? { format: v.format } : {}), ...(v.enum ? { enum: v.enum } : {}) }]));
  return { ...(record.type ? { type: record.type } : {}), properties };
}

/** Marks the answers whose body is the record itself, not wrapped in `data` (a currency's read). */
function markBare(responses: ContractOperation['responses']): ContractOperation['responses'] {
  return responses.map((r) => ({ ...r, ...(r.schema && !r.schema.properties?.data ? { bare: true } : {}) }));
}

/** An operation as the runtime sends it: method, path, parameters, the body's shape, success statuses (and whether the answer is bare). */
function forRuntime(op: ContractOperation): ContractOperation {
  return {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    pathParams: op.pathParams,
    query: op.query.map(queryParam),
    ...(op.requestBody ? { requestBody: { required: op.requestBody.required, schema: shape(op.requestBody.schema)! } } : {}),
    responses: markBare(op.responses).map(({ status, bare }) => ({ status, ...(bare ? { bare } : {}) })),
  };
}

/** What the runtime loads (src/__generated__/graph.json): the contract reduced to what the facade's code reads. */
function runtimeContract(contract: Contract): Contract {
  const resource = (r: Contract['resources'][string]): Contract['resources'][string] => ({
    ...r,
    record: shallow(r.record),
    operations: Object.fromEntries(Object.entries(r.operations).map(([k, op]) => [k, forRuntime(op)])),
    // The GraphQL filter input is typed from the whole schema; the runtime passes the values on by key.
    filters: r.filters.map((f) => ({ param: f.param, key: f.key, array: f.array, schema: {} })),
    flags: r.flags.map(queryParam),
  });
  return {
    version: contract.version,
    resources: Object.fromEntries(Object.entries(contract.resources).map(([k, r]) => [k, resource(r)])),
    views: Object.fromEntries(Object.entries(contract.views).map(([k, r]) => [k, resource(r)])),
    actions: Object.fromEntries(Object.entries(contract.actions).map(([k, op]) => [k, forRuntime(op)])),
  };
}

/** What the simulator loads (simulator/__generated__/contract.json): every schema whole, to fabricate and validate with. */
function simulatorContract(contract: Contract): Contract {
  const bare = (op: ContractOperation): ContractOperation => ({ ...op, responses: markBare(op.responses) });
  const resource = (r: Contract['resources'][string]): Contract['resources'][string] => ({
    ...r,
    operations: Object.fromEntries(Object.entries(r.operations).map(([k, op]) => [k, bare(op)])),
  });
  return {
    version: contract.version,
    resources: Object.fromEntries(Object.entries(contract.resources).map(([k, r]) => [k, resource(r)])),
    views: Object.fromEntries(Object.entries(contract.views).map(([k, r]) => [k, resource(r)])),
    actions: Object.fromEntries(Object.entries(contract.actions).map(([k, op]) => [k, bare(op)])),
  };
}

/** docs/types.md: every type of the graph by domain, with the REST endpoints it is read from. */
function renderTypeList(derived: Derived, contract: Contract): string {
  const rows = new Map<string, string[]>();
  const add = (domain: string, row: string): void => void rows.set(domain, [...(rows.get(domain) ?? []), row]);
  const path = (op: ContractOperation | undefined): string => (op ? `\`${op.method} ${op.path.replace('/public-api/', '')}\`` : '');
  for (const r of derived.resources) {
    const ops = contract.resources[r.name]!.operations;
    const reads = [ops.list, ops.read].filter(Boolean).map((op) => path(op)).join('<br>');
    const relations = r.relations.map((rel) => `${rel.field} → ${rel.target}`).join(', ');
    add(r.domain, `| \`${r.name}\` | entity${r.parents?.length ? ` under ${r.parents.at(-1)!.resource}` : ''} | ${reads} | ${relations} |`);
  }
  for (const v of derived.views) {
    const op = contract.views[v.operationId]!.operations.list ?? contract.views[v.operationId]!.operations.read;
    add(v.domain, `| \`${v.type}\` | \`${v.owner ?? 'Query'}.${v.field}\` (${v.shape}) | ${path(op)} | |`);
  }
  const sections = [...rows].sort(([a], [b]) => a.localeCompare(b)).map(
    ([domain, list]) => `## ${domain}\n\n| type | kind | read from | relations |\n| --- | --- | --- | --- |\n${list.sort().join('\n')}\n`,
  );
  return `<!-- Generated by scripts/generate-contract.ts from AMPECO's contract ${contract.version}. Do not edit. -->\n# Types of the graph and their REST sources\n\n${derived.resources.length} entity types and ${derived.views.length} views, derived from AMPECO's contract ${contract.version}; see ARCHITECTURE.md for how.\n\n${sections.join('\n')}`;
}

export interface Generated {
  files: Map<string, string>;
  derived: Derived;
  operations: OperationSummary[];
}

/** Everything generated from one OpenAPI document. */
export function generateFrom(doc: OpenApiDocument): Generated {
  const derived = deriveDefinitions(doc);
  const contract = extractContract(doc, derived);
  const files = new Map<string, string>();
  const banner = `// Generated by scripts/generate-contract.ts from AMPECO's contract ${contract.version}. Do not edit.\n`;
  const { resources, views, actions } = derived;
  files.set('src/__generated__/graph.json', `${JSON.stringify({ definitions: { resources, views, actions }, contract: runtimeContract(contract) })}\n`);
  files.set('simulator/__generated__/contract.json', `${JSON.stringify(simulatorContract(contract))}\n`);
  const operations = operationsOf(doc);
  files.set('src/__generated__/operations.json', `${JSON.stringify({ version: contract.version, operations }, null, 1)}\n`);
  const { sdlByDomain, enumMaps, renamedFields } = renderSdl(contract, derived);
  for (const [domain, sdl] of sdlByDomain) {
    files.set(`schema/__generated__/${domain}.graphql`, `# Generated by scripts/generate-contract.ts from AMPECO's contract ${contract.version}. Do not edit.\n\n${sdl}`);
  }
  const common = readFileSync(resolve(root, 'schema/common.graphql'), 'utf8');
  files.set('src/__generated__/federation.graphql', federationAdditions([common, ...[...sdlByDomain.values()]].join('\n')));
  files.set(
    'src/__generated__/enums.ts',
    `${banner}\n/** For each GraphQL enum: SCREAMING_CASE value -> the string AMPECO sends and expects. */\nexport const enumValues: Record<string, Record<string, string | number>> = ${JSON.stringify(enumMaps, null, 2)};\n\n/** Output fields whose GraphQL name (camelCase) differs from AMPECO's key (snake_case), per type: GraphQL name -> key. */\nexport const renamedFields: Record<string, Record<string, string>> = ${JSON.stringify(renamedFields, null, 2)};\n`,
  );
  files.set('src/__generated__/records.ts', `${banner}\n${renderRecordTypes(contract, derived.resources)}\n`);
  files.set('docs/types.md', renderTypeList(derived, contract));
  return { files, derived, operations };
}

export async function generatedFiles(path = openApiPath): Promise<Map<string, string>> {
  return generateFrom(JSON.parse(await readFile(path, 'utf8')) as OpenApiDocument).files;
}

/** What the files on disk say about the contract they were generated from. */
async function snapshotOnDisk(): Promise<ContractSnapshot | undefined> {
  try {
    const { version, operations } = JSON.parse(await readFile(resolve(root, 'src/__generated__/operations.json'), 'utf8')) as { version: string; operations: OperationSummary[] };
    const dir = resolve(root, 'schema/__generated__');
    const sdl = (await Promise.all((await readdir(dir)).sort().map((f) => readFile(resolve(dir, f), 'utf8')))).join('\n');
    return { version, sdl, operations };
  } catch {
    return undefined;
  }
}

function snapshotOf(generated: Generated): ContractSnapshot {
  const sdl = [...generated.files].filter(([f]) => f.startsWith('schema/__generated__/')).sort(([a], [b]) => a.localeCompare(b)).map(([, c]) => c).join('\n');
  return { version: /contract (\S+)\. Do not edit/.exec(sdl)?.[1] ?? 'unknown', sdl, operations: generated.operations };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const generated = generateFrom(JSON.parse(await readFile(openApiPath, 'utf8')) as OpenApiDocument);
  const before = await snapshotOnDisk();
  if (before) {
    const report = diffContracts(before, snapshotOf(generated), generated.derived.overlayMisses);
    if (hasChanges(report)) console.log(renderChangeReport(report));
  } else if (generated.derived.overlayMisses.length) {
    console.log(`Overlay entries matching nothing:\n  ${generated.derived.overlayMisses.join('\n  ')}`);
  }
  if (generated.derived.undomained.length) console.log(`Types without a domain (in schema/__generated__/other.graphql): ${generated.derived.undomained.join(', ')}`);
  const stale: string[] = [];
  for (const [file, content] of generated.files) {
    const target = resolve(root, file);
    const current = await readFile(target, 'utf8').catch(() => null);
    if (current === content) continue;
    stale.push(file);
    if (!check) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
  if (check && stale.length) {
    console.error(`Generated files are stale: ${stale.join(', ')}. Run \`npm run generate\`.`);
    process.exit(1);
  }
  console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'generated files are up to date');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
