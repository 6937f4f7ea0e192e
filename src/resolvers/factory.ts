/**
 * Builds the resolvers of a resource type from its definition: root queries, relations,
 * federation reference resolution and CRUD mutations. Each `src/resolvers/<Type>.ts` starts
 * from these and adds whatever is specific to the type. Resolvers stay thin: arguments in,
 * one datasource call out; the only other thing they do is look ahead in the query, so that
 * calls the data does not depend on start early (see prefetchChildren, prefetchScans).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { RecordOf, ResourceName } from '../__generated__/records.js';
import type { FederationReferenceTypes, MutationResolvers, QueryResolvers, Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { PageOf } from '../datasources/ampeco.js';
import { UpstreamValidationError } from '../datasources/http/index.js';
import { readPath, resourceName, scalarText, type RestRecord } from '../datasources/records.js';
import { spec, viewSpecs, type ResourceSpec } from '../datasources/registry.js';
import { PageEdge, type Page } from '../datasources/connection-page.js';
import { graphqlFieldName, naming, lowerFirst } from '../definitions/naming.js';
import type { RelationDefinition } from '../definitions/model.js';
import { childSelections, onlyKnownFields, perSelection, recordsOf, selectedFields, selectedNodeFields } from './lookahead.js';

type Args = Record<string, unknown>;
/** A resolver of a field that definitions name: of a record of `T`, or of a root type. */
type FieldResolver<Parent = unknown> = (parent: Parent, args: Args, ctx: Context, info: GraphQLResolveInfo) => unknown;

/** Codegen's resolvers of each resource type: every field optional, the type's record as the parent. */
export type ResourceResolvers = { [T in ResourceName]-?: NonNullable<Resolvers[T]> };

/** Federation's entry to a resource type: its key fields in, its record out. */
export type ReferenceResolverOf<T extends ResourceName> = (
  ref: FederationReferenceTypes[T],
  ctx: Context,
  info: GraphQLResolveInfo,
) => RecordOf<T> | null | Promise<RecordOf<T> | null>;

/** What `typeResolvers(T)` builds: the reference resolver, typed here, and the relation fields. */
export type TypeResolvers<T extends ResourceName> = Omit<ResourceResolvers[T], '__resolveReference'> & {
  __resolveReference: ReferenceResolverOf<T>;
};

/**
 * Resolvers keyed by names the definitions hold at run time (relation fields, root fields, action
 * payload types), as the part of codegen's map `M` they fill. TypeScript cannot check those keys
 * (the definitions are data), but each entry is built from the very definition the SDL generator
 * turns into its field, so key and return type agree with the schema by construction; and
 * test/schema.test.ts checks at run time that every such field is in the SDL and has a resolver.
 * Hand-written resolvers never pass through here: each type's module checks them with `satisfies`.
 */
export function fromDefinitions<M extends object>(entries: Record<string, unknown>): M {
  return entries as M;
}

export interface Connection<T extends ResourceName> {
  edges: PageOf<T>['edges'];
  nodes: RecordOf<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number | null;
}

/**
 * A connection from a page: its edges are the page's, made when a client selects them; `pageInfo` is
 * the page itself, whose `endCursor` is signed only when selected. (A class: see PageEdge on literals with accessors.)
 */
class ConnectionOf<N> {
  readonly nodes: N[];
  readonly totalCount: number | null;

  constructor(readonly pageInfo: { nodes: N[]; readonly edges: { cursor: string; node: N }[]; hasNextPage: boolean; readonly endCursor: string | null; totalCount: number | null }) {
    this.nodes = pageInfo.nodes;
    this.totalCount = pageInfo.totalCount;
  }

  get edges(): { cursor: string; node: N }[] {
    return this.pageInfo.edges;
  }
}

/** A page of records read back by the ids a view listed: the view's page, with the records found in place of the ids. */
class RereadPage {
  readonly nodes: RestRecord[];
  readonly hasNextPage: boolean;
  readonly totalCount: number | null;

  constructor(
    private readonly page: Page,
    readonly edges: PageEdge[],
  ) {
    this.nodes = edges.map((e) => e.node);
    this.hasNextPage = page.hasNextPage;
    this.totalCount = page.totalCount;
  }

  get endCursor(): string | null {
    return this.page.endCursor;
  }
}

/** Fields reading views: of records of `owner`, or of Query when `owner` is null. */
export function viewResolvers(owner: string | null): Record<string, FieldResolver<RestRecord | null>> {
  const out: Record<string, FieldResolver<RestRecord | null>> = {};
  for (const [key, v] of viewSpecs) {
    if (v.owner !== owner) continue;
    // A view that lists ids rather than records (FirmwareVersion.models: `/attached-models` answers
    // `[3, 7]`): each node is the record read by its id (batched); one AMPECO no longer has is left out.
    const listsIds = !v.ownsType && (v.contract.record.type === 'integer' || v.contract.record.type === 'string');
    out[v.field] = async (parent, args, ctx) => {
      const result = await ctx.ampeco.view(key, owner ? parent : null, args);
      if (v.shape !== 'connection') return result;
      const page = result as Page;
      if (!listsIds) return new ConnectionOf(page);
      const records = await Promise.all(page.edges.map((e) => ctx.ampeco.reread(resourceName(v.type), { id: e.node })));
      const edges = page.edges.flatMap((e, i) => {
        const node = records[i] as RestRecord | null;
        return node ? [new PageEdge(node, () => e.cursor)] : [];
      });
      return new ConnectionOf(new RereadPage(page, edges));
    };
  }
  return out;
}

export const toConnection = <T extends ResourceName>(page: PageOf<T>): Connection<T> => new ConnectionOf(page);

/**
 * include[] values and with* flags worth sending for the selected fields: an include is named
 * after the field it fills (`connectors`), a flag after `with` + the field (`withAuthorization`).
 */
export function embeddingFor(s: ResourceSpec, selected: Set<string>): string[] {
  const out: string[] = [];
  if (selected.size === 0) return out;
  for (const [field, value] of embeddableFields(s)) if (selected.has(field)) out.push(value);
  return out;
}

const embeddable = new WeakMap<ResourceSpec, [field: string, value: string][]>();

/** The fields of `s` an include[] or a with* flag fills, with what to send for each (worked out once per resource). */
function embeddableFields(s: ResourceSpec): [field: string, value: string][] {
  let out = embeddable.get(s);
  if (!out) {
    out = s.contract.includes.map((include): [string, string] => [include, include]);
    for (const flag of s.contract.flags) {
      if (flag.name.startsWith('with') && flag.schema.type === 'boolean') out.push([lowerFirst(flag.name.replace(/^with/, '')), `+${flag.name}`]);
    }
    embeddable.set(s, out);
  }
  return out;
}

const idString = (v: unknown): string | undefined => scalarText(v) || undefined;

function parentIdArg(s: ResourceSpec, args: Args): string | undefined {
  const link = s.parents?.at(-1);
  return link ? idString(args[`${lowerFirst(link.resource)}Id`]) : undefined;
}

/** The immediate parent id of a target record, found on the record that refers to it. */
function parentIdFrom(target: ResourceSpec, source: RestRecord): string | undefined {
  const link = target.parents?.at(-1);
  return link ? idString(readPath(source, link.field)) : undefined;
}

function pageSize(args: Args): number {
  return typeof args.first === 'number' ? args.first : 25;
}

/**
 * Fields filled by a `with*` flag that AMPECO's read accepts and its listing does not (a user's
 * `amountDue`): by field name, the flag.
 */
function readOnlyFlagFields(s: ResourceSpec): Map<string, string> {
  const listed = new Set(s.contract.operations.list?.query.map((q) => q.name) ?? []);
  const read = new Set(s.contract.operations.read?.query.map((q) => q.name) ?? []);
  const out = new Map<string, string>();
  for (const flag of s.contract.flags) {
    if (!flag.name.startsWith('with') || flag.schema.type !== 'boolean' || listed.has(flag.name) || !read.has(flag.name)) continue;
    out.set(lowerFirst(flag.name.replace(/^with/, '')), flag.name);
  }
  return out;
}

/**
 * A record that came from a listing lacks what only a read's flag adds: the field reads the record
 * with that flag (batched and deduped like any by-id read). From a read with the flag, it is there.
 */
function flagFieldResolver<T extends ResourceName>(type: T, s: ResourceSpec, field: string, flag: string): FieldResolver<RecordOf<T>> {
  return (parent, _args, ctx) => {
    const record = parent as RestRecord;
    if (record[field] !== undefined) return record[field];
    return ctx.ampeco
      .reread(type, record, { parentId: parentIdFrom(s, record), include: [`+${flag}`] })
      .then((full) => (full as RestRecord | null)?.[field] ?? null);
  };
}

function relationResolver<T extends ResourceName>(ownerName: T, owner: ResourceSpec, rel: RelationDefinition): FieldResolver<RecordOf<T>> {
  const target = spec(rel.target);
  const targetName = resourceName(rel.target);
  if (rel.kind === 'one') {
    // What the query selects of the target: the same for every row of a page, so worked out once.
    const selection = perSelection((info) => {
      const selected = selectedFields(info);
      return { selected, include: embeddingFor(target, selected) };
    });
    // Not async: a row of a table whose links ask only for ids answers at once, and graphql-js then
    // completes the row without a promise per link (hundreds per page).
    return (parent, _args, ctx, info) => {
      const id = idString(readPath(parent, rel.via!));
      if (!id) return null;
      const parentId = parentIdFrom(target, parent);
      const { selected, include } = selection(info);
      // The target's key fields the source record already holds: its id and its parents' ids.
      const stub: Record<string, unknown> = { id };
      const links = target.parents ?? [];
      links.forEach((link, i) => {
        const value = i === links.length - 1 ? parentId : idString(readPath(parent, link.field));
        if (value !== undefined) stub[link.field] = value;
      });
      // Only those asked for: no call needed. (A connector's chargePointId is known only when the
      // source holds it too; otherwise the connector is read.)
      if (ctx.ampeco.optimised && onlyKnownFields(selected, Object.keys(stub)) && (!links.length || parentId)) return stub;
      if (!links.length) prefetchChildren(target, id, ctx, info, selected);
      return ctx.ampeco.get(targetName, id, { include, parentId });
    };
  }
  if (rel.include && owner.embeds.has(rel.target)) {
    return (parent, _args, ctx) => ctx.ampeco.embedded(ownerName, parent, targetName);
  }
  if (rel.via) {
    // A list of ids on the record: each read by id, so they batch, dedupe and hit the cache like any read.
    return async (parent, _args, ctx, info) => {
      const ids = readPath(parent, rel.via!);
      if (!Array.isArray(ids)) return null;
      const include = embeddingFor(target, selectedFields(info));
      const rows = await Promise.all(ids.map(idString).filter((id): id is string => Boolean(id)).map(async (id) => ctx.ampeco.get(targetName, id, { include })));
      return rows.filter((row) => row !== null);
    };
  }
  if (rel.nested && !rel.filter) {
    // A sub-resource listing under the owner's path (a user's payment methods).
    return (parent, args, ctx, info) => {
      const parentId = String(parent.id);
      if (rel.shape === 'list') return ctx.ampeco.listAll(targetName, {}, { parentId, include: embeddingFor(target, selectedFields(info)) });
      return ctx.ampeco
        .list(targetName, { first: pageSize(args), after: (args.after as string | undefined) ?? null, parentId, include: embeddingFor(target, selectedNodeFields(info)) })
        .then(toConnection);
    };
  }
  return (parent, args, ctx, info) =>
    fetchChildren(ctx, rel, String(parent.id), args, rel.shape === 'list' ? selectedFields(info) : selectedNodeFields(info));
}

/** A has-many through a listing filtered by the parent's id: the whole list, or a connection page. */
function fetchChildren(ctx: Context, rel: RelationDefinition, parentId: string, args: Args, fields: Set<string>): Promise<unknown> {
  const include = embeddingFor(spec(rel.target), fields);
  const target = resourceName(rel.target);
  if (rel.shape === 'list') return ctx.ampeco.allChildren(target, rel.filter!, parentId, { include });
  return ctx.ampeco
    .childPage(target, rel.filter!, parentId, {
      first: pageSize(args),
      after: (args.after as string | undefined) ?? null,
      filter: (args.filter as Args | undefined) ?? null,
      include,
    })
    .then(toConnection);
}

/**
 * Listings filtered by an id the query already holds need not wait for that record: start them
 * now, with the record's own read. The child resolvers then find them in the loaders' caches.
 */
function prefetchChildren(s: ResourceSpec, id: string, ctx: Context, info: GraphQLResolveInfo, selectedHere?: Set<string>): void {
  if (!ctx.ampeco.optimised) return;
  // A caller resolving many rows passes the selection it worked out once (perSelection).
  const selected = selectedHere ?? selectedFields(info);
  for (const rel of s.relations) {
    if (rel.kind !== 'many' || !rel.filter || !selected.has(rel.field)) continue;
    for (const selection of childSelections(info, rel.field)) {
      // Errors surface where the data is used; here they only mean the prefetch was wasted.
      fetchChildren(ctx, rel, id, selection.args, selection.fields).catch(() => undefined);
    }
  }
}

/** Children per parent assumed for list-shaped relations (a charge point's EVSEs) when estimating fan-out. */
const LIST_FANOUT = 4;

/**
 * Looks down the query from a root field: where children of many records will come from one
 * collection (the EVSEs of 50 charge points), the datasource may start that collection's scan now,
 * in parallel with the levels above, instead of after them. `count` is how many records of `s`
 * the query can reach at this level; `levelsAbove` how many round trips precede their children.
 */
function prefetchScans(
  s: ResourceSpec,
  records: GraphQLResolveInfo,
  ctx: Context,
  count: number,
  levelsAbove: number,
  depthLeft = 4,
  /** Types already read on the way down: a link back to one finds its records there, no scan. */
  above: ReadonlySet<string> = new Set([s.name]),
): void {
  if (!ctx.ampeco.optimised || depthLeft === 0) return;
  // Most of a type's relations are not asked for: those are passed over without walking the selections.
  const selected = selectedFields(records);
  for (const rel of s.relations) {
    if (!selected.has(rel.field)) continue;
    const target = spec(rel.target);
    if (rel.kind === 'one') {
      for (const selection of childSelections(records, rel.field)) {
        // Only the key fields asked for: no read at all (see relationResolver), so nothing to start.
        if (onlyKnownFields(selection.fields, keyFieldsOf(target))) continue;
        // Sibling relations to records this target embeds (a session's connector, read through its
        // EVSE) make the target's reads carry their include[] too: scan with the same embedding.
        const include = [...embeddingFor(target, selection.fields), ...embedsForSiblings(s, rel.target, records)];
        if (!above.has(rel.target)) ctx.ampeco.prefetchIdScan(resourceName(rel.target), { include }, count, levelsAbove);
        prefetchScans(target, selection.records, ctx, count, levelsAbove + 1, depthLeft - 1, new Set([...above, rel.target]));
      }
      continue;
    }
    const embedded = Boolean(rel.include && s.embeds.has(rel.target));
    for (const selection of childSelections(records, rel.field)) {
      if (!embedded && rel.filter) {
        const filter = rel.shape === 'list' ? null : ((selection.args.filter as Args | undefined) ?? null);
        ctx.ampeco.prefetchScan(resourceName(rel.target), rel.filter, { include: embeddingFor(target, selection.fields), filter }, count, levelsAbove);
      }
      const fanOut = rel.shape === 'list' ? LIST_FANOUT : pageSize(selection.args);
      prefetchScans(target, selection.records, ctx, count * fanOut, levelsAbove + (embedded ? 0 : 1), depthLeft - 1, new Set([...above, rel.target]));
    }
  }
}

const keyFieldsOf = (s: ResourceSpec): string[] => ['id', ...(s.parents?.map((p) => p.field) ?? [])];

/** include[] values `parentType` reads will carry because the query also wants records it embeds. */
function embedsForSiblings(s: ResourceSpec, parentType: string, records: GraphQLResolveInfo): string[] {
  const parent = spec(parentType);
  const out: string[] = [];
  for (const rel of s.relations) {
    const embed = rel.kind === 'one' ? parent.embeds.get(rel.target) : undefined;
    if (!embed || spec(rel.target).parents?.at(-1)?.resource !== parentType) continue;
    const wanted = childSelections(records, rel.field).some((sel) => !onlyKnownFields(sel.fields, keyFieldsOf(spec(rel.target))));
    if (wanted) out.push(embed.include);
  }
  return out;
}

/** Field resolvers of the type itself: relations and federation's `__resolveReference`. */
export function typeResolvers<T extends ResourceName>(type: T): TypeResolvers<T> {
  const s = spec(type);
  const relations: Record<string, FieldResolver<RecordOf<T>>> = {};
  for (const rel of s.relations) relations[rel.field] = relationResolver(type, s, rel);
  for (const [field, flag] of readOnlyFlagFields(s)) relations[field] = flagFieldResolver(type, s, field, flag);
  Object.assign(relations, viewResolvers(type));
  const resolveReference: ReferenceResolverOf<T> = (ref, ctx, info) =>
    ctx.ampeco.get(type, String(ref.id), { parentId: parentIdFrom(s, ref), include: embeddingFor(s, selectedFields(info)) });
  return { __resolveReference: resolveReference, ...fromDefinitions<Omit<ResourceResolvers[T], '__resolveReference'>>(relations) };
}

/** `chargePoint(id:)` and `chargePoints(first:, after:, filter:)`. */
export function queryResolvers(type: ResourceName): QueryResolvers {
  const s = spec(type);
  const n = naming(type);
  const out: Record<string, FieldResolver> = {};
  out[n.single] = (_root, args, ctx, info) => {
    if (!s.parents?.length) {
      prefetchChildren(s, String(args.id), ctx, info);
      prefetchScans(s, info, ctx, 1, 1);
    }
    return ctx.ampeco.get(type, String(args.id), { parentId: parentIdArg(s, args), include: embeddingFor(s, selectedFields(info)) });
  };
  if (s.operations.list) {
    out[n.plural] = async (_root, args, ctx, info) => {
      prefetchScans(s, recordsOf(info), ctx, pageSize(args), 1);
      return toConnection(
        await ctx.ampeco.list(type, {
          first: pageSize(args),
          after: (args.after as string | undefined) ?? null,
          filter: (args.filter as Args | undefined) ?? null,
          parentId: parentIdArg(s, args),
          include: embeddingFor(s, selectedNodeFields(info)),
        }),
      );
    };
  }
  return fromDefinitions<QueryResolvers>(out);
}

export interface UserError {
  field: string[] | null;
  message: string;
  code: 'INVALID' | 'NOT_FOUND' | 'FORBIDDEN';
}

/** A 422 becomes userErrors on the payload; anything else stays a GraphQL error. */
export async function withUserErrors<T extends object>(
  run: () => Promise<T>,
  empty: T,
): Promise<T & { userErrors: UserError[] }> {
  try {
    return Object.assign({}, await run(), { userErrors: [] });
  } catch (error) {
    if (error instanceof UpstreamValidationError) {
      const fields = Object.entries(error.fieldErrors ?? {});
      const userErrors: UserError[] = fields.length
        ? fields.flatMap(([field, messages]) =>
            // AMPECO names the body's keys (snake_case where it uses that); the graph's input names them in camelCase.
            messages.map((message) => ({ field: ['input', ...field.split('.').filter(Boolean).map(graphqlFieldName)], message, code: 'INVALID' as const })),
          )
        : [{ field: null, message: error.message, code: 'INVALID' }];
      return Object.assign({}, empty, { userErrors });
    }
    throw error;
  }
}

/** create/update/delete mutations for whatever AMPECO lets you write. */
export function mutationResolvers(type: ResourceName): MutationResolvers {
  const s = spec(type);
  const n = naming(type);
  const ops = s.contract.operations;
  const out: Record<string, FieldResolver> = {};
  if (ops.create) {
    out[`create${type}`] = (_root, args, ctx) =>
      withUserErrors<Record<string, RestRecord | null>>(
        async () => ({ [n.single]: await ctx.ampeco.create(type, args.input, parentIdArg(s, args)) }),
        { [n.single]: null },
      );
  }
  if (ops.update) {
    out[`update${type}`] = (_root, args, ctx) =>
      withUserErrors<Record<string, RestRecord | null>>(
        async () => ({ [n.single]: await ctx.ampeco.update(type, String(args.id), args.input, parentIdArg(s, args)) }),
        { [n.single]: null },
      );
  }
  if (ops.delete) {
    out[`delete${type}`] = (_root, args, ctx) =>
      withUserErrors<{ deletedId: string | null }>(async () => {
        await ctx.ampeco.remove(type, String(args.id), parentIdArg(s, args));
        return { deletedId: String(args.id) };
      }, { deletedId: null });
  }
  return fromDefinitions<MutationResolvers>(out);
}

