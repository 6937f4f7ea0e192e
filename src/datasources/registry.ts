/**
 * Joins the derived definitions with the reduced contract into what the datasource runs on:
 * for each GraphQL type, its REST operations, parents, filters, includes and pagination; for each
 * view, the one read it makes.
 */
import { actions, contract, resources, views } from '../definitions/graph.js';
import type { ContractOperation, ContractResource } from '../definitions/contract-model.js';
import type { ActionDefinition, ResourceDefinition, ViewDefinition } from '../definitions/model.js';

export interface ResourceSpec extends ResourceDefinition {
  contract: ContractResource;
  /** include[] value that embeds children of each type, by child type name. */
  embeds: Map<string, { field: string; include: string }>;
}

export const specs: ReadonlyMap<string, ResourceSpec> = new Map(
  resources.map((def) => {
    const res = contract.resources[def.name];
    if (!res) throw new Error(`No contract entry for ${def.name}: run npm run generate`);
    const embeds = new Map(
      def.relations
        .filter((r) => r.kind === 'many' && r.include && res.includes.includes(r.include))
        .map((r) => [r.target, { field: r.field, include: r.include! }]),
    );
    return [def.name, { ...def, contract: res, embeds }];
  }),
);

export function spec(type: string): ResourceSpec {
  const s = specs.get(type);
  if (!s) throw new Error(`Unknown resource type ${type}`);
  return s;
}

export interface ViewSpec extends ViewDefinition {
  /** The read: its operation (one `list` or `read`), record schema, pagination and filters. */
  contract: ContractResource;
  operation: ContractOperation;
}

/** Views by `Owner.field` (`Query.settings` for root ones). */
export const viewSpecs: ReadonlyMap<string, ViewSpec> = new Map(
  views.map((view) => {
    const res = contract.views[view.operationId];
    const operation = res?.operations.list ?? res?.operations.read;
    if (!res || !operation) throw new Error(`No contract entry for view ${view.operationId}: run npm run generate`);
    return [`${view.owner ?? 'Query'}.${view.field}`, { ...view, contract: res, operation }];
  }),
);

export const actionSpecs: ReadonlyMap<string, ActionDefinition & { operation: ContractOperation }> = new Map(
  actions.map((a) => {
    const operation = contract.actions[a.operationId];
    if (!operation) throw new Error(`No contract entry for action ${a.operationId}`);
    return [a.mutation, { ...a, operation }];
  }),
);

/** Fills `{param}` placeholders; every value is percent-encoded. */
export function fillPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`Missing path parameter ${name} for ${template}`);
    // Callers check values against the contract (./ids.ts); this is the last line against a path walk.
    if (value === '.' || value === '..') throw new Error(`Dot segment in path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

export const contractVersion = contract.version;
