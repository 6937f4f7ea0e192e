/**
 * Derives the graph's definitions from AMPECO's contract: which endpoints make up each entity type
 * (paths, operations, id and parent parameters), which reads are views on an owner (records without
 * an id of their own, singletons, lists under another record), and the relations that the contract's
 * naming conventions imply. The overlay (src/definitions/overlay.ts) adds what the contract cannot
 * say; every overlay entry that matches nothing is reported, so a contract upgrade cannot leave one
 * silently stale.
 *
 * Rules, in order of use:
 * - An entity is a collection `C` with an item read `C/{param}` whose record has an `id`. Its
 *   listing, create, update (PATCH or PUT) and delete are the operations on `C` and `C/{param}`.
 * - Its parents are the entities whose item paths prefix `C` (versions ignored); each parent's id
 *   is held in `<parent>Id` (stamped by the datasource when AMPECO leaves it out).
 * - Every other current GET is a view: a field of the entity whose item path prefixes it (Query
 *   when none does); the remaining path parameters become arguments.
 * - Names: singular PascalCase of the last literal segment, prefixed by the owner for sub-resources,
 *   without stutter; the overlay renames. Views returning an entity's records are typed as that entity.
 * - Relations: `<x>Id` -> to-one `x` (the type named by the longest suffix of `X`, or the overlay's
 *   alias); `<x>Ids` -> a list `xs`; a listing filter `<x>Id` -> a has-many connection on X; a
 *   sub-resource -> a has-many on its parent. A derived relation never takes a record field's name.
 */
import type { ContractOperation, JsonSchema } from '../../src/definitions/contract-model.js';
import type { ActionDefinition, Definitions, ParentLink, RelationDefinition, ResourceDefinition, ViewDefinition } from '../../src/definitions/model.js';
import { lowerFirst, naming } from '../../src/definitions/naming.js';
import * as overlay from '../../src/definitions/overlay.js';
import { indexOperations, recordOf, filtersOf, paginationOf, type OpenApiDocument } from './extract.js';

export interface Derived extends Definitions {
  /** Overlay entries that matched nothing in this contract. */
  overlayMisses: string[];
  /** Types the overlay gives no domain (they land in `other`). */
  undomained: string[];
}

const PREFIX = '/public-api/';
const isParam = (segment: string): boolean => /^\{[^}]+\}$/.test(segment);
const paramName = (segment: string): string => segment.slice(1, -1);
const isVersion = (segment: string): boolean => /^v\d+(\.\d+)*$/.test(segment);
/** The path without its version segments: how endpoints of different versions line up. */
const normalized = (path: string): string => path.split('/').filter((s) => !isVersion(s)).join('/');
export const keyOf = (path: string): string => path.slice(PREFIX.length);

const pascal = (s: string): string => s.replace(/(^|[-_ ])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());

export function singular(word: string): string {
  if (/series$/.test(word) || /ss$/.test(word) || /(details|stats|settings|status)$/.test(word)) return word;
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(x|ch|sh|ss)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `ChargePoint` + `ChargePointConfiguration` -> `ChargePointConfiguration`; `Circuit` + `UserPriority` -> `CircuitUserPriority`. */
const prefixed = (owner: string, name: string): string => (name.startsWith(owner) ? name : `${owner}${name}`);

interface PathOps {
  path: string;
  get?: ContractOperation;
  post?: ContractOperation;
  put?: ContractOperation;
  patch?: ContractOperation;
  delete?: ContractOperation;
}

export function deriveDefinitions(doc: OpenApiDocument): Derived {
  const used = new Set<string>();
  const use = (table: string, key: string): void => void used.add(`${table}:${key}`);
  const name = (key: string, rule: string): string => {
    if (overlay.names[key]) use('names', key);
    return overlay.names[key] ?? rule;
  };

  const index = indexOperations(doc);
  const byPath = new Map<string, PathOps>();
  for (const op of index.values()) {
    if (op.deprecated || !op.path.startsWith(PREFIX) || op.path.startsWith(`${PREFIX}actions/`)) continue;
    const entry = byPath.get(op.path) ?? { path: op.path };
    entry[op.method.toLowerCase() as 'get'] = op;
    byPath.set(op.path, entry);
  }
  const itemPaths = new Map<string, ResourceDefinition>(); // normalized item path -> entity
  const skipped = (path: string): boolean => {
    const key = keyOf(path);
    if (overlay.skipped[key]) use('skipped', key);
    return Boolean(overlay.skipped[key]);
  };

  // Entities: item reads whose record has an id.
  const resources: ResourceDefinition[] = [];
  const entries = [...byPath.values()].sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  for (const item of entries) {
    const segments = item.path.split('/');
    const last = segments.at(-1)!;
    if (!item.get || !isParam(last)) continue;
    const collectionPath = segments.slice(0, -1).join('/');
    if (skipped(collectionPath)) continue;
    const alias = overlay.servedBy[keyOf(collectionPath)];
    if (alias) {
      // Served by another entity's endpoints: its item path still names that entity in longer paths.
      use('servedBy', keyOf(collectionPath));
      const target = resources.find((r) => r.name === alias);
      if (target) itemPaths.set(normalized(item.path), target);
      continue;
    }
    const collection = byPath.get(collectionPath);
    const list = collection?.get && recordOf(collection.get, 'list') ? collection.get : undefined;
    const record = recordOf(item.get, 'read') ?? (list ? recordOf(list, 'list') : undefined);
    if (!record?.properties?.id) continue;
    const chain = chainOf(collectionPath, itemPaths);
    const owner = chain.at(-1);
    const literal = segments.slice(owner ? owner.depth : 0, -1).filter((s) => !isParam(s) && !isVersion(s) && s !== 'public-api' && s !== 'resources');
    const rule = pascal(singular(literal.at(-1) ?? 'record'));
    const typeName = name(keyOf(collectionPath), owner ? prefixed(owner.def.name, rule) : rule);
    const parents: ParentLink[] = chain.map((link) => ({ resource: link.def.name, param: link.param, field: `${lowerFirst(link.def.name)}Id` }));
    const def: ResourceDefinition = {
      name: typeName,
      domain: '',
      description: '',
      path: collectionPath,
      idParam: paramName(last),
      ...(parents.length ? { parents } : {}),
      operations: {
        ...(list ? { list: list.operationId } : {}),
        read: item.get.operationId,
        ...(collection?.post ? { create: collection.post.operationId } : {}),
        ...((item.patch ?? item.put) ? { update: (item.patch ?? item.put)!.operationId } : {}),
        ...(item.delete ? { delete: item.delete.operationId } : {}),
      },
      relations: [],
    };
    resources.push(def);
    itemPaths.set(normalized(item.path), def);
  }
  const entityNames = new Set(resources.map((r) => r.name));
  /** A listing served by another entity (see overlay.servedBy): not a view of its own. */
  const servedElsewhere = (path: string): boolean =>
    Object.keys(overlay.servedBy).some((key) => keyOf(path) === key || (keyOf(path).startsWith(`${key}/{`) && keyOf(path).split('/').length === key.split('/').length + 1));
  const claimed = new Set(resources.flatMap((r) => [r.path, `${r.path}/{${r.idParam}}`]));

  // Views: every other current GET.
  const views: ViewDefinition[] = [];
  for (const entry of entries) {
    if (!entry.get || claimed.has(entry.path) || skipped(entry.path) || servedElsewhere(entry.path)) continue;
    const key = keyOf(entry.path);
    const chain = chainOf(entry.path, itemPaths);
    const owner = chain.at(-1);
    const segments = entry.path.split('/');
    const rest = segments.slice(owner ? owner.depth : 0);
    const literal = rest.filter((s) => !isParam(s) && !isVersion(s) && s !== 'public-api' && s !== 'resources');
    const listRecord = recordOf(entry.get, 'list');
    const shape: ViewDefinition['shape'] = listRecord ? (paginationOf(entry.get) === 'none' ? 'list' : 'connection') : 'object';
    const lastLiteral = literal.at(-1) ?? 'record';
    const itemRead = isParam(segments.at(-1)!);
    const rule = pascal(shape === 'object' && !itemRead ? lastLiteral : singular(lastLiteral));
    const type = name(key, owner ? prefixed(owner.def.name, rule) : rule);
    const ownerParams: Record<string, string> = {};
    if (owner) {
      for (const link of chain.slice(0, -1)) ownerParams[link.param] = `${lowerFirst(link.def.name)}Id`;
      ownerParams[owner.param] = 'id';
    }
    const args = rest.filter(isParam).map(paramName).filter((p) => !(p in ownerParams))
      .map((p) => ({ param: p, arg: p, description: `The ${p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} to read.` }));
    if (overlay.viewFields[key]) use('viewFields', key);
    const ruleField = lowerFirst(pascal(literal.join('-')));
    const field = overlay.viewFields[key] ?? (owner ? ruleField : shape === 'object' ? lowerFirst(type) : naming(type).plural);
    views.push({
      operationId: entry.get.operationId,
      type,
      ownsType: !entityNames.has(type),
      owner: owner?.def.name ?? null,
      field,
      ownerParams,
      args,
      shape,
      domain: '',
      description: '',
    });
  }

  // Relations.
  const records = new Map(resources.map((r) => [r.name, recordSchema(r, index)]));
  const fieldsOf = (def: ResourceDefinition): Set<string> => new Set([
    ...Object.keys(records.get(def.name)?.properties ?? {}),
    ...def.relations.map((r) => r.field),
    ...views.filter((v) => v.owner === def.name).map((v) => v.field),
  ]);
  const add = (def: ResourceDefinition, rel: RelationDefinition): void => {
    if (!fieldsOf(def).has(rel.field)) def.relations.push(rel);
  };
  const targetOf = (idField: string): string | undefined => {
    if (overlay.referenceAliases[idField]) {
      use('referenceAliases', idField);
      return overlay.referenceAliases[idField];
    }
    const match = /^(.+?)Ids?$/.exec(idField);
    if (!match) return undefined;
    const words = pascal(match[1]!).split(/(?=[A-Z])/);
    for (let i = 0; i < words.length; i++) {
      const candidate = words.slice(i).join('');
      if (entityNames.has(candidate)) return candidate;
    }
    return undefined;
  };
  const byName = new Map(resources.map((r) => [r.name, r]));
  const label = (type: string): string => naming(type).label;

  for (const def of resources) {
    for (const link of def.parents ?? []) {
      add(def, { field: lowerFirst(link.resource), target: link.resource, kind: 'one', via: link.field, description: `The ${label(link.resource)} this ${label(def.name)} belongs to.` });
    }
    for (const [prop, schema] of Object.entries(records.get(def.name)?.properties ?? {})) {
      const target = targetOf(prop);
      if (!target || prop === 'id') continue;
      const scalar = (s: JsonSchema | undefined): boolean => s?.type === 'integer' || s?.type === 'number' || s?.type === 'string';
      // A sub-resource is addressed through its parents: the record must hold their ids too.
      const props = records.get(def.name)?.properties ?? {};
      const reachable = (byName.get(target)?.parents ?? []).every((link) => link.field in props || (def.parents ?? []).some((p) => p.field === link.field));
      if (!reachable) continue;
      if (prop.endsWith('Id') && scalar(schema)) {
        add(def, { field: prop.slice(0, -2), target, kind: 'one', via: prop, description: `The ${label(target)} that \`${prop}\` refers to.` });
      } else if (prop.endsWith('Ids') && schema.type === 'array' && scalar(schema.items)) {
        add(def, { field: naming(prop.slice(0, -3)).plural, target, kind: 'many', via: prop, shape: 'list', description: `The ${naming(target).pluralLabel} that \`${prop}\` lists.` });
      }
    }
  }
  for (const def of resources) {
    const parent = def.parents?.at(-1);
    if (parent && def.operations.list) {
      const owner = byName.get(parent.resource)!;
      const short = def.name.startsWith(owner.name) && def.name !== owner.name ? def.name.slice(owner.name.length) : def.name;
      const paged = paginationOf(opById(index, def.operations.list)) !== 'none';
      add(owner, { field: naming(short).plural, target: def.name, kind: 'many', nested: true, shape: paged ? 'connection' : 'list', description: `The ${naming(def.name).pluralLabel} of this ${label(owner.name)}.` });
    }
    if (parent || !def.operations.list) continue;
    for (const filter of filtersOf(opById(index, def.operations.list))) {
      if (filter.array || !filter.key.endsWith('Id')) continue;
      const target = targetOf(filter.key);
      const owner = target ? byName.get(target) : undefined;
      if (!owner || owner.name === def.name) continue;
      const short = def.name.startsWith(owner.name) ? def.name.slice(owner.name.length) : def.name;
      const field = naming(short || def.name).plural;
      add(owner, { field, target: def.name, kind: 'many', filter: filter.key, description: `${naming(def.name).pluralTitle} whose \`${filter.key}\` is this ${label(owner.name)}, paged.` });
    }
  }

  // The overlay: relations replaced or dropped, domains, descriptions.
  for (const [typeName, entries] of Object.entries(overlay.relations)) {
    const def = byName.get(typeName);
    if (!def) continue;
    use('relations', typeName);
    for (const entry of entries) {
      // An entry replaces the derived relation of its field, and one reaching the same records another way.
      const same = (r: RelationDefinition): boolean =>
        r.field === entry.field ||
        ('target' in entry && r.target === entry.target && r.kind === entry.kind &&
          (((r.via ?? r.filter) !== undefined && (r.via ?? r.filter) === (entry.via ?? entry.filter)) || (Boolean(r.nested) && Boolean(entry.nested) && !entry.include)));
      def.relations = def.relations.filter((r) => !same(r));
      if (!('drop' in entry)) def.relations.push(entry);
    }
  }
  // A view's field must not hide a record field or a relation of its owner.
  for (const view of views) {
    const owner = view.owner ? byName.get(view.owner) : undefined;
    if (!owner) continue;
    // An include-gated property of the same name gives way to the view (it reads the same records).
    const included = new Set(includesOf(owner, index));
    const props = Object.keys(records.get(owner.name)?.properties ?? {}).filter((p) => !included.has(p));
    const taken = new Set([...props, ...owner.relations.map((r) => r.field)]);
    if (taken.has(view.field)) {
      throw new Error(`${owner.name}.${view.field}: the view ${view.operationId} takes the name of a field; name it in overlay.viewFields`);
    }
  }
  const domainOf = new Map(Object.entries(overlay.domains).flatMap(([domain, types]) => types.map((t) => [t, domain] as const)));
  const undomained = new Set<string>();
  const describe = (type: string): string => {
    const text = overlay.typeDescriptions[type];
    if (!text) throw new Error(`${type} has no description: add one to src/definitions/overlay.ts (typeDescriptions)`);
    return text;
  };
  const domain = (type: string): string => {
    const d = domainOf.get(type);
    if (!d) undomained.add(type);
    return d ?? 'other';
  };
  for (const def of resources) {
    def.domain = domain(def.name);
    def.description = describe(def.name);
    const omit = overlay.omissions[def.name];
    if (omit) {
      use('omissions', def.name);
      def.omit = omit;
    }
  }
  for (const view of views) {
    view.domain = domain(view.type);
    view.description = describe(view.type);
  }

  for (const type of [...resources.map((r) => r.name), ...views.map((v) => v.type)]) {
    if (['Query', 'Mutation', 'Subscription'].includes(type)) throw new Error(`${type} is a GraphQL root type name: rename it in overlay.names`);
  }
  const typesSeen = new Set([...resources.map((r) => r.name), ...views.map((v) => v.type)]);
  const misses: string[] = [];
  const check = (table: string, keys: string[]): void => {
    for (const key of keys) if (!used.has(`${table}:${key}`)) misses.push(`${table}: ${key}`);
  };
  check('names', Object.keys(overlay.names));
  check('viewFields', Object.keys(overlay.viewFields));
  check('skipped', Object.keys(overlay.skipped));
  check('servedBy', Object.keys(overlay.servedBy));
  check('relations', Object.keys(overlay.relations));
  check('omissions', Object.keys(overlay.omissions));
  check('referenceAliases', Object.keys(overlay.referenceAliases));
  for (const t of Object.values(overlay.domains).flat()) if (!typesSeen.has(t)) misses.push(`domains: ${t}`);
  const actions = [...overlay.actions, ...deriveCommands(index, resources, views, use)];
  check('commandNames', Object.keys(overlay.commandNames));
  check('commandArgs', Object.keys(overlay.commandArgs));
  check('commandDescriptions', Object.keys(overlay.commandDescriptions));
  return { resources, views, actions, overlayMisses: misses, undomained: [...undomained] };
}

const VERB_OF_METHOD: Record<string, string> = { POST: 'create', PUT: 'set', PATCH: 'update', DELETE: 'delete', GET: 'request' };

/**
 * Every current write the entities' CRUD does not cover becomes a command mutation: the action
 * endpoints (`/actions/charge-point/.../{chargePoint}/change-availability` -> `changeChargePointAvailability`)
 * and the writes on views and sub-resources (`PUT .../{electricityRate}/energy-mix` ->
 * `setElectricityRateEnergyMix`). The overlay names the ones the rule names poorly.
 */
function deriveCommands(
  index: OperationIndex,
  resources: ResourceDefinition[],
  views: ViewDefinition[],
  use: (table: string, key: string) => void,
): ActionDefinition[] {
  const crud = new Set(resources.flatMap((r) => [r.operations.create, r.operations.update, r.operations.delete]).filter(Boolean));
  const taken = new Set(overlay.actions.map((a) => a.operationId));
  const byIdParam = new Map(resources.map((r) => [r.idParam, r]));
  const viewTypeAt = new Map<string, string>();
  for (const v of views) {
    const op = index.get(v.operationId);
    if (op) viewTypeAt.set(normalized(op.path.replace(/\/\{[^}]+\}$/, '')), v.type).set(normalized(op.path), v.type);
  }
  const out: ActionDefinition[] = [];
  const names = new Set<string>();
  for (const op of index.values()) {
    if (op.deprecated || crud.has(op.operationId) || taken.has(op.operationId) || !op.path.startsWith(PREFIX)) continue;
    const isAction = op.path.startsWith(`${PREFIX}actions/`);
    if (op.method === 'GET' && !isAction) continue;
    const segments = op.path.slice(PREFIX.length).split('/');
    const params = op.pathParams.map((p) => p.name);
    const target = params.map((p) => byIdParam.get(p)).find(Boolean);
    let mutation: string;
    if (isAction) {
      const [, resource = '', , ...rest] = segments;
      const phrase = rest.filter((x) => !isParam(x)).join('-').split('-');
      const subject = pascal(singular(resource));
      const [verb = 'run', ...object] = phrase;
      mutation = `${verb}${subject}${pascal(object.join('-'))}`;
    } else {
      const literal = segments.filter((x) => !isParam(x) && !isVersion(x) && x !== 'resources');
      const type = viewTypeAt.get(normalized(op.path)) ?? `${target?.name ?? ''}${pascal(singular(literal.at(-1) ?? 'record'))}`;
      mutation = `${VERB_OF_METHOD[op.method] ?? 'run'}${type}`;
    }
    if (overlay.commandNames[op.operationId]) {
      use('commandNames', op.operationId);
      mutation = overlay.commandNames[op.operationId]!;
    }
    if (names.has(mutation)) throw new Error(`Two commands named ${mutation}: name ${op.operationId} in overlay.commandNames`);
    names.add(mutation);
    const argNames = overlay.commandArgs[op.operationId] ?? {};
    if (overlay.commandArgs[op.operationId]) use('commandArgs', op.operationId);
    const pathArgs: ActionDefinition['pathArgs'] = {};
    for (const p of params) {
      const entity = byIdParam.get(p);
      const arg = argNames[p] ?? (entity ? `${lowerFirst(entity.name)}Id` : p);
      pathArgs[p] = { arg, description: entity && !argNames[p] ? `The ${naming(entity.name).label} to act on.` : `The ${p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} of the request path.` };
    }
    if (overlay.commandDescriptions[op.operationId]) use('commandDescriptions', op.operationId);
    const words = mutation.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    out.push({
      mutation,
      operationId: op.operationId,
      description: overlay.commandDescriptions[op.operationId] ?? `${words.charAt(0).toUpperCase()}${words.slice(1)}: AMPECO's \`${op.method} ${op.path.slice(PREFIX.length)}\`.`,
      pathArgs,
      body: Boolean(op.requestBody),
      ...(target ? { target: { type: target.name, pathParam: target.idParam } } : {}),
    });
  }
  return out.sort((a, b) => a.mutation.localeCompare(b.mutation));
}

type OperationIndex = Map<string, ContractOperation>;

function opById(index: OperationIndex, operationId: string): ContractOperation {
  const op = index.get(operationId);
  if (!op) throw new Error(`operation ${operationId} not found`);
  return op;
}

function includesOf(def: ResourceDefinition, index: OperationIndex): string[] {
  const ops = [def.operations.read, def.operations.list].filter((o): o is string => Boolean(o)).map((o) => opById(index, o));
  return ops.flatMap((op) => op.query.filter((q) => q.name === 'include' || q.name === 'include[]').flatMap((q) => (q.schema.items?.enum ?? []).map(String)));
}

function recordSchema(def: ResourceDefinition, index: OperationIndex): JsonSchema | undefined {
  const read = def.operations.read ? recordOf(opById(index, def.operations.read), 'read') : undefined;
  return read ?? (def.operations.list ? recordOf(opById(index, def.operations.list), 'list') : undefined);
}

interface ChainLink {
  def: ResourceDefinition;
  /** The path parameter holding this entity's id. */
  param: string;
  /** Segments up to and including that parameter. */
  depth: number;
}

/** The entities whose item paths prefix `path` (versions ignored), outermost first: its parents, the last its owner. */
function chainOf(path: string, itemPaths: Map<string, ResourceDefinition>): ChainLink[] {
  const segments = path.split('/');
  const out: ChainLink[] = [];
  for (let end = 1; end < segments.length; end++) {
    const last = segments[end - 1]!;
    if (!isParam(last)) continue;
    const def = itemPaths.get(normalized(segments.slice(0, end).join('/')));
    if (def) out.push({ def, param: paramName(last), depth: end });
  }
  return out;
}
