/**
 * What the simulator knows about each resource, derived from the hand-kept definitions and the
 * generated contract: nothing here names a resource, so new definitions are served as they come.
 */
import type { ContractFilter, ContractOperation, ContractParameter, ContractResource, Contract, JsonSchema } from '../src/definitions/contract-model.js';
import type { ActionDefinition, ParentLink, RelationDefinition, ResourceDefinition, ViewDefinition } from '../src/definitions/model.js';
import { withRequiredProperties } from './fabricate.js';
import { hooksFor, viewHooksFor, type ResourceHooks, type ViewHooks } from './hooks.js';

/** A record property served only on request (`include[]=x` or a `withX` flag). */
export interface Gate {
  prop: string;
  include?: string;
  flag?: string;
  /** For includes that embed another resource's records (a location's charging zones). */
  relation?: RelationDefinition;
}

export type FilterPlan =
  | { filter: ContractFilter; kind: 'eq' | 'in' | 'contains' | 'after' | 'before'; path: string[] }
  | { filter: ContractFilter; kind: 'object'; path: string[]; children: FilterPlan[] }
  /** An association kept beside the record (Row.links), named by the filter key. */
  | { filter: ContractFilter; kind: 'link'; path: [string] }
  | { filter: ContractFilter; kind: 'ignored'; reason: string };

export interface ResourceModel {
  name: string;
  def: ResourceDefinition;
  contract: ContractResource;
  record: JsonSchema;
  /** Sessions and users carry string ids in the contract; the store keys every record by its numeric value. */
  idIsString: boolean;
  /** Listing order by id. */
  order: 'asc' | 'desc';
  parents: ParentLink[];
  gates: Map<string, Gate>;
  includes: Set<string>;
  flags: Map<string, ContractParameter>;
  filters: FilterPlan[];
  hooks: ResourceHooks;
  /** `size` option key: lcfirst(name) + 's'. */
  sizeKey: string;
}

/**
 * A view (see ViewDefinition): a GET whose records have no id of their own, answered from records
 * fabricated per owner path on first request (or, for a view typed as an entity, from that
 * entity's records).
 */
export interface ViewModel {
  def: ViewDefinition;
  contract: ContractResource;
  /** Its one operation (the contract's `list` or `read`). */
  op: ContractOperation;
  /** One record; every record in one answer; or a page of them, as `contract.pagination` says. */
  kind: 'object' | 'list' | 'paged';
  record: JsonSchema;
  /** A view typed as an entity answers that entity's records (or their ids, where its items are ids). */
  entity?: ResourceModel;
  /** The resource each owner path parameter names (the owner, or the type its `...Id` field refers to). */
  ownerParams: Map<string, ResourceModel | undefined>;
  filters: FilterPlan[];
  hooks: ViewHooks;
}

export interface Model {
  contract: Contract;
  resources: Map<string, ResourceModel>;
  views: ViewModel[];
  /** Resource named by a record field holding an id (`userId` -> User), from the relations and type names. */
  idFields: Map<string, ResourceModel>;
  /** Resource names in seeding order: parents and to-one targets first. */
  seedOrder: string[];
  actions: ActionDefinition[];
  /** Resource owning a path parameter name as its item id (`chargePoint` -> ChargePoint). */
  byIdParam: Map<string, ResourceModel>;
}

export function lcfirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function buildModel(contract: Contract, definitions: ResourceDefinition[], actions: ActionDefinition[], views: ViewDefinition[] = []): Model {
  const resources = new Map<string, ResourceModel>();
  for (const def of definitions) {
    const res = contract.resources[def.name];
    if (!res) throw new Error(`Resource ${def.name} is defined but missing from the generated contract`);
    const hooks = hooksFor(def.name);
    const record = withRequiredProperties(res.record);
    const gates = new Map<string, Gate>();
    const props = record.properties ?? {};
    const required = new Set(record.required ?? []);
    for (const include of res.includes) {
      const relation = def.relations.find((r) => r.include === include);
      const prop = props[include] ? include : relation?.field;
      if (prop && !required.has(prop)) gates.set(prop, { prop, include, relation });
    }
    const flags = new Map(res.flags.map((f) => [f.name, f]));
    for (const flag of flags.keys()) {
      const prop = flag.startsWith('with') ? lcfirst(flag.slice(4)) : undefined;
      if (prop && props[prop] && !required.has(prop) && !gates.has(prop)) gates.set(prop, { prop, flag });
    }
    const model: ResourceModel = {
      name: def.name,
      def,
      contract: res,
      record,
      idIsString: props.id?.type === 'string',
      order: hooks.order ?? 'asc',
      parents: def.parents ?? [],
      gates,
      includes: new Set(res.includes),
      flags,
      filters: [],
      hooks,
      sizeKey: `${lcfirst(def.name)}s`,
    };
    model.filters = res.filters.map((f): FilterPlan =>
      hooks.links?.[f.key] && !f.array ? { filter: f, kind: 'link', path: [f.key] } : planFilter(f, record, hooks.filterAliases ?? {}, gates),
    );
    resources.set(def.name, model);
  }
  const byIdParam = new Map<string, ResourceModel>();
  for (const m of resources.values()) byIdParam.set(m.def.idParam, m);
  const idFields = idFieldTargets(resources);
  return {
    contract,
    resources,
    views: views.map((def) => buildView(def, contract, resources, idFields, byIdParam)),
    idFields,
    seedOrder: seedOrder(resources),
    actions,
    byIdParam,
  };
}

/** `xId` -> the resource named X, else the target of relations whose `via` is that field (when they agree). */
function idFieldTargets(resources: Map<string, ResourceModel>): Map<string, ResourceModel> {
  const out = new Map<string, ResourceModel>();
  const ambiguous = new Set<string>();
  for (const m of resources.values()) {
    for (const r of m.def.relations) {
      const target = resources.get(r.target);
      if (r.kind !== 'one' || !r.via || r.via.includes('.') || !target || ambiguous.has(r.via)) continue;
      const seen = out.get(r.via);
      if (seen && seen !== target) {
        out.delete(r.via);
        ambiguous.add(r.via);
      } else out.set(r.via, target);
    }
  }
  for (const m of resources.values()) out.set(`${lcfirst(m.name)}Id`, m);
  return out;
}

function buildView(def: ViewDefinition, contract: Contract, resources: Map<string, ResourceModel>, idFields: Map<string, ResourceModel>, byIdParam: Map<string, ResourceModel>): ViewModel {
  const res = contract.views[def.operationId];
  const op = res?.operations.list ?? res?.operations.read;
  if (!res || !op) throw new Error(`View ${def.operationId} is defined but missing from the generated contract`);
  const owner = def.owner ? resources.get(def.owner) : undefined;
  const ownerParams = new Map<string, ResourceModel | undefined>();
  for (const [param, field] of Object.entries(def.ownerParams)) {
    ownerParams.set(param, field === 'id' ? owner : (idFields.get(field) ?? byIdParam.get(param)));
  }
  const hooks = viewHooksFor(def.operationId);
  const record = withRequiredProperties(res.record);
  return {
    def,
    contract: res,
    op,
    kind: def.shape === 'object' ? 'object' : res.pagination === 'none' ? 'list' : 'paged',
    record,
    entity: def.ownsType ? undefined : resources.get(def.type),
    ownerParams,
    filters: res.filters.map((f): FilterPlan => {
      const reason = hooks.ignoredFilters?.[f.key];
      return reason ? { filter: f, kind: 'ignored', reason } : planFilter(f, record, hooks.filterAliases ?? {}, new Map());
    }),
    hooks,
  };
}

function seedOrder(resources: Map<string, ResourceModel>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name)) return; // a cycle (or done): the later one fills what it can
    const m = resources.get(name);
    if (!m) return;
    state.set(name, 'visiting');
    for (const p of m.parents) visit(p.resource);
    for (const r of m.def.relations) if (r.kind === 'one') visit(r.target);
    for (const dep of m.hooks.seedAfter ?? []) visit(dep);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of resources.keys()) visit(name);
  return order;
}

function propAt(schema: JsonSchema, path: string[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = schema;
  for (const key of path) s = s?.properties?.[key];
  return s;
}

function isScalar(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf ?? []).every(isScalar);
  return s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean' || (!s.type && Boolean(s.enum));
}

function isDateTime(s: JsonSchema | undefined): boolean {
  return s?.type === 'string' && (s.format === 'date-time' || s.format === 'datetime');
}

/**
 * Maps a listing filter onto a record field by naming conventions, so filters of new resources
 * work without code: `x` -> field x (equality, or membership for array filters), `xAfter`/`xBefore`
 * -> date field `xAt`, `tag` -> membership in `tags`, `xIds[]` -> `xId` in the list, `xId` -> `x.id`,
 * `key` -> `obj.key` for a top-level object, and object filters recurse into object fields.
 * Filters matching no stored field (or a lazily served one) are accepted and ignored: for example
 * Location's roaming (the record's `roaming` is an object of names, not a flag) or Session's
 * authorizationSource (authorization is served lazily); views' filters are planned the same way,
 * and the time-series windows (`startTime`/`endTime`) are ignored by their hooks.
 * (`SimulatorStore.ignoredFilters()` lists them at run time.)
 */
export function planFilter(filter: ContractFilter, record: JsonSchema, aliases: Record<string, string>, gates: Map<string, Gate>): FilterPlan {
  const plan = resolveFilter(filter, record, aliases);
  if (plan.kind !== 'ignored' && plan.path[0] !== undefined && gates.has(plan.path[0])) {
    return { filter, kind: 'ignored', reason: `${plan.path[0]} is served lazily` };
  }
  return plan;
}

function resolveFilter(filter: ContractFilter, record: JsonSchema, aliases: Record<string, string>): FilterPlan {
  const { key } = filter;
  const props = record.properties ?? {};
  const dateMatch = /^(.*)(After|Before)$/.exec(key);
  const alias = aliases[key];
  if (alias) {
    const path = alias.split('.');
    const target = propAt(record, path);
    if (dateMatch && isDateTime(target)) return { filter, kind: dateMatch[2] === 'After' ? 'after' : 'before', path };
    if (target) return { filter, kind: filter.array ? 'in' : 'eq', path };
  }
  if (dateMatch && filter.schema.format === 'date-time') {
    const base = dateMatch[1] as string;
    for (const candidate of [`${base}At`, base]) {
      if (isDateTime(props[candidate])) return { filter, kind: dateMatch[2] === 'After' ? 'after' : 'before', path: [candidate] };
    }
    return { filter, kind: 'ignored', reason: `no date field ${base}At` };
  }
  const prop = props[key];
  if (filter.schema.type === 'object' && prop?.type === 'object') {
    const children = Object.entries(filter.schema.properties ?? {}).map(([k, s]) =>
      resolveFilter({ param: `${filter.param}[${k}]`, key: k, schema: s, array: s.type === 'array' }, prop, {}),
    );
    return { filter, kind: 'object', path: [key], children };
  }
  if (prop) {
    if (isScalar(prop)) return { filter, kind: filter.array ? 'in' : 'eq', path: [key] };
    if (prop.type === 'array' && isScalar(prop.items)) return { filter, kind: 'contains', path: [key] };
    return { filter, kind: 'ignored', reason: `field ${key} is not a scalar` };
  }
  const plural = props[`${key}s`];
  if (plural?.type === 'array' && isScalar(plural.items) && !filter.array) return { filter, kind: 'contains', path: [`${key}s`] };
  if (filter.array && key.endsWith('s') && isScalar(props[key.slice(0, -1)])) return { filter, kind: 'in', path: [key.slice(0, -1)] };
  if (key.endsWith('Id')) {
    const owner = props[key.slice(0, -2)];
    if (owner?.type === 'object' && isScalar(owner.properties?.id)) return { filter, kind: filter.array ? 'in' : 'eq', path: [key.slice(0, -2), 'id'] };
  }
  for (const [name, p] of Object.entries(props)) {
    if (p.type === 'object' && isScalar(p.properties?.[key])) return { filter, kind: filter.array ? 'in' : 'eq', path: [name, key] };
  }
  return { filter, kind: 'ignored', reason: 'no matching field' };
}
