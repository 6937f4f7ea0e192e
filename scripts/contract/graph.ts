/**
 * Renders the graph around the resource shapes: relation fields, connections, root query
 * fields, CRUD mutations with payloads, and action mutations. All of it follows from
 * the derived definitions (scripts/contract/derive.ts), so a new resource gets its whole surface by definition.
 */
import type { Definitions, RelationDefinition, ResourceDefinition, ViewDefinition } from '../../src/definitions/model.js';
import { lowerFirst, naming } from '../../src/definitions/naming.js';
import type { Contract } from '../../src/definitions/contract-model.js';
import type { Renderer } from './sdl.js';

const doc = (text: string, indent = '  '): string => `${indent}"""\n${indent}${text}\n${indent}"""\n`;

/** The argument list of a paged field: `leading` arguments (each its description line and its own), then paging and filter. */
function pageArgs(target: string, hasFilter: boolean, leading: string[] = []): string {
  const lines = [
    ...leading,
    '    "How many to return: 1 to 100, 25 when omitted."',
    '    first: Int = 25',
    '    "Return the items after this cursor (an `endCursor` or edge `cursor`)."',
    '    after: String',
    ...(hasFilter ? [`    "Only return ${naming(target).pluralLabel} matching all of these conditions."`, `    filter: ${target}Filter`] : []),
  ];
  return `(\n${lines.join('\n')}\n  )`;
}

/** Types whose listing takes filters: their connections get a `filter` argument. */
function filterableTypes(contract: Contract): Set<string> {
  return new Set(Object.values(contract.resources).filter((r) => r.filters.length).map((r) => r.name));
}

/** A view's field: its arguments (path parameters the owner does not fill, paging, filters) and its type. */
function viewField(view: ViewDefinition, contract: Contract): string {
  const res = contract.views[view.operationId]!;
  const args = view.args.map((a) => `    "${a.description}"\n    ${a.arg}: String!`);
  if (view.shape === 'connection') {
    return `${doc(viewDescription(view))}  ${view.field}${pageArgs(view.type, res.filters.length > 0, args)}: ${view.type}Connection`;
  }
  const argList = args.length ? `(\n${args.join('\n')}\n  )` : '';
  return `${doc(viewDescription(view))}  ${view.field}${argList}: ${view.shape === 'list' ? `[${view.type}!]` : view.type}`;
}

function viewDescription(view: ViewDefinition): string {
  const n = naming(view.type);
  const of = view.owner ? ` of this ${naming(view.owner).label}` : '';
  if (view.shape === 'object') return view.args.length ? `One ${n.label}${of}, by its ${view.args.map((a) => a.arg).join(' and ')}.` : `The ${n.label}${of}.`;
  return `The ${n.pluralLabel}${of}${view.shape === 'connection' ? ', paged' : ''}.`;
}

/** The Relay connection and edge types of `type`. */
function connectionTypes(r: Renderer, type: string): void {
  const n = naming(type);
  r.raw(
    `${type}Connection`,
    `"""\nA page of ${n.pluralLabel}. Page forward with \`first\` and \`after: pageInfo.endCursor\`.\n"""\ntype ${type}Connection {\n  "The ${n.pluralLabel} of this page with their cursors."\n  edges: [${type}Edge!]!\n  "The ${n.pluralLabel} of this page."\n  nodes: [${type}!]!\n  pageInfo: PageInfo!\n  "How many ${n.pluralLabel} match in all, when AMPECO reports it (page-numbered listings do; cursor listings do not)."\n  totalCount: Int\n}`,
  );
  r.raw(
    `${type}Edge`,
    `"One ${n.label} in a connection, with the cursor that points at it."\ntype ${type}Edge {\n  "Opaque position of this ${n.label}; pass it as \`after\` to continue from here."\n  cursor: String!\n  node: ${type}!\n}`,
  );
}

/*
 * Nullability: every field that needs an upstream call (relations, listings, mutations) is
 * nullable, so that one failed call nulls that field alone, with its own error, and the rest of
 * the response is kept; a non-null field would carry the failure up to its nearest nullable parent.
 */
function relationField(rel: RelationDefinition, filterable: Set<string>): string {
  if (rel.kind === 'one') return `${doc(rel.description)}  ${rel.field}: ${rel.target}`;
  if (rel.shape === 'list' || rel.via) return `${doc(rel.description)}  ${rel.field}: [${rel.target}!]`;
  if (rel.nested) return `${doc(rel.description)}  ${rel.field}${pageArgs(rel.target, false)}: ${rel.target}Connection`;
  return `${doc(rel.description)}  ${rel.field}${pageArgs(rel.target, filterable.has(rel.target))}: ${rel.target}Connection`;
}

export function relationFields(def: ResourceDefinition, contract: Contract, views: ViewDefinition[]): string[] {
  const filterable = filterableTypes(contract);
  return [...def.relations.map((rel) => relationField(rel, filterable)), ...views.filter((v) => v.owner === def.name).map((v) => viewField(v, contract))];
}

function parentArgs(def: ResourceDefinition): string[] {
  const parent = def.parents?.[def.parents.length - 1];
  return parent ? [`${lowerFirst(parent.resource)}Id: ID!`] : [];
}

export function renderGraph(r: Renderer, contract: Contract, definitions: Definitions): void {
  const { resources, actions, views } = definitions;
  const byDomain = new Map<string, { queries: string[]; mutations: string[] }>();
  const section = (domain: string) => {
    let s = byDomain.get(domain);
    if (!s) byDomain.set(domain, (s = { queries: [], mutations: [] }));
    return s;
  };

  for (const def of resources) {
    r.setDomain(def.domain);
    const n = naming(def.name);
    const res = contract.resources[def.name]!;
    // A connection only where something pages through this type: its listing, a has-many, a paged view.
    const paged =
      Boolean(res.operations.list) ||
      resources.some((o) => o.relations.some((rel) => rel.target === def.name && rel.kind === 'many' && rel.shape !== 'list' && !rel.via)) ||
      views.some((v) => v.type === def.name && v.shape === 'connection');
    if (paged) connectionTypes(r, def.name);
    const s = section(def.domain);
    const parent = parentArgs(def);
    const parentLabel = def.parents?.length ? ` of one ${naming(def.parents[def.parents.length - 1]!.resource).label}` : '';
    if (res.operations.read || res.operations.list) {
      s.queries.push(`${doc(`One ${n.label} by its AMPECO id, or null when there is none.`)}  ${n.single}(${[...parent, 'id: ID!'].join(', ')}): ${def.name}`);
    }
    if (res.operations.list) {
      const args = pageArgs(def.name, res.filters.length > 0, parent.map((p) => `    ${p}`));
      s.queries.push(`${doc(`${n.pluralTitle}${parentLabel}, paged.`)}  ${n.plural}${args}: ${def.name}Connection`);
    }
    const writes = ['create', 'update'].filter((k) => k in res.operations);
    if (writes.length) {
      r.raw(
        `${def.name}Payload`,
        `"The result of writing a ${n.label}."\ntype ${def.name}Payload {\n  "The ${n.label} as AMPECO stored it; null when the write was refused."\n  ${n.single}: ${def.name}\n  "Why AMPECO refused the input, field by field; empty on success."\n  userErrors: [UserError!]!\n}`,
      );
    }
    if (res.operations.create) {
      s.mutations.push(`${doc(`Create a ${n.label}${parentLabel}.`)}  create${def.name}(${[...parent, `input: Create${def.name}Input!`].join(', ')}): ${def.name}Payload`);
    }
    if (res.operations.update) {
      s.mutations.push(`${doc(`Change some fields of a ${n.label}; fields left out keep their value.`)}  update${def.name}(${[...parent, 'id: ID!', `input: Update${def.name}Input!`].join(', ')}): ${def.name}Payload`);
    }
    if (res.operations.delete) {
      r.raw(
        `Delete${def.name}Payload`,
        `"The result of deleting a ${n.label}."\ntype Delete${def.name}Payload {\n  "The id of the deleted ${n.label}; null when nothing was deleted."\n  deletedId: ID\n  "Why AMPECO refused the deletion; empty on success."\n  userErrors: [UserError!]!\n}`,
      );
      s.mutations.push(`${doc(`Delete a ${n.label}.`)}  delete${def.name}(${[...parent, 'id: ID!'].join(', ')}): Delete${def.name}Payload`);
    }
  }

  const resourceNames = new Set(resources.map((d) => d.name));
  for (const action of actions) {
    const op = contract.actions[action.operationId]!;
    const owner = action.mutation.replace(/^./, (c) => c.toUpperCase());
    const domain = resources.find((d) => d.name === action.target?.type)?.domain ?? resources[0]!.domain;
    r.setDomain(domain);
    const args: string[] = [];
    for (const p of op.pathParams) {
      const mapped = action.pathArgs[p.name];
      if (!mapped) throw new Error(`${action.mutation}: path parameter ${p.name} has no argument`);
      const type = p.schema.enum ? `${owner}${p.name.replace(/^./, (c) => c.toUpperCase())}!` : 'ID!';
      args.push(`"${mapped.description}"\n    ${mapped.arg}: ${type}`);
    }
    const requestBody = op.requestBody?.schema;
    if (action.body && requestBody?.properties) {
      args.push(`"What to send with the command."\n    input: ${owner}Input${op.requestBody?.required ? '!' : ''}`);
    } else if (action.body && requestBody?.type === 'array' && requestBody.items?.properties) {
      args.push(`"What to send with the command, one entry per item."\n    input: [${owner}Input!]${op.requestBody?.required ? '!' : ''}`);
    }
    const fields = [
      `  "True when AMPECO accepted the command. The charge point carries it out afterwards: accepted is not done."\n  accepted: Boolean!`,
      `  "How AMPECO took the command; null when it refused it."\n  outcome: CommandOutcome`,
    ];
    const body = op.responses.find((x) => x.schema)?.schema;
    for (const [prop, schema] of Object.entries(body?.properties ?? {})) {
      const type = r.fieldType(owner, ['Result', prop], schema, false, 'output');
      fields.push(`  ${prop}: ${type}`);
      const ref = prop.endsWith('Id') ? prop.slice(0, -2).replace(/^./, (c) => c.toUpperCase()) : '';
      if (resourceNames.has(ref)) fields.push(`  "The ${naming(ref).label} the command created or acted on."\n  ${lowerFirst(ref)}: ${ref}`);
    }
    if (action.creates && !fields.some((f) => f.includes(`  ${action.creates!.field}: `))) {
      fields.push(
        `  "The ${naming(action.creates.type).label} the command started, once AMPECO has it (the charge point may take a moment)."\n  ${action.creates.field}: ${action.creates.type}`,
      );
    }
    if (action.target && !fields.some((f) => f.includes(`  ${lowerFirst(action.target!.type)}: `))) {
      fields.push(`  "The ${naming(action.target.type).label} the command was sent to, as it is now."\n  ${lowerFirst(action.target.type)}: ${action.target.type}`);
    }
    fields.push(`  "Why AMPECO refused the command; empty when it was accepted."\n  userErrors: [UserError!]!`);
    r.raw(`${owner}Payload`, `"The result of \`${action.mutation}\`."\ntype ${owner}Payload {\n${fields.join('\n')}\n}`);
    const argList = args.length ? `(\n    ${args.join('\n    ')}\n  )` : '';
    section(domain).mutations.push(`${doc(action.description)}  ${action.mutation}${argList}: ${owner}Payload`);
  }

  for (const view of views) {
    r.setDomain(view.domain);
    if (view.shape === 'connection' && !r.has(`${view.type}Connection`)) connectionTypes(r, view.type);
    if (!view.owner) section(view.domain).queries.push(viewField(view, contract));
  }

  for (const [domain, s] of byDomain) {
    r.setDomain(domain);
    r.raw(`Query:${domain}`, `extend type Query {\n${s.queries.join('\n\n')}\n}`);
    if (s.mutations.length) r.raw(`Mutation:${domain}`, `extend type Mutation {\n${s.mutations.join('\n\n')}\n}`);
  }
}
