/**
 * An "embedding" is what a read asks AMPECO to add to its records: include[] values
 * (`connectors`) and `with*` flags, written `+withAuthorization`. Which ones a resource accepts
 * comes from the contract; the facade never sends one it does not.
 */
import type { QueryParams } from './http/index.js';
import type { ResourceSpec } from './registry.js';

/** The include[] values and `+withX` flags of `include` this resource accepts, sorted; undefined when none. */
export function includesFor(s: ResourceSpec, include: readonly string[] | undefined): string[] | undefined {
  // Most reads embed nothing: no set of the resource's flags to build for them.
  if (!include?.length) return undefined;
  const flags = new Set(s.contract.flags.map((f) => `+${f.name}`));
  const valid = include.filter((i) => s.contract.includes.includes(i) || flags.has(i));
  return valid.length ? [...new Set(valid)].sort() : undefined;
}

/**
 * What a listing of this resource can embed of `include`: some flags exist on reads only
 * (`withAmountDue` on a user), and a listing sent one would ignore it (a contract violation too).
 */
export function listingIncludesFor(s: ResourceSpec, include: readonly string[] | undefined): string[] | undefined {
  const valid = includesFor(s, include)?.filter((e) => listAccepts(s, [e]));
  return valid?.length ? valid : undefined;
}

/** `['connectors', '+withAuthorization']` -> `{ include: ['connectors'], withAuthorization: true }`. */
export function embeddingQuery(embedding: readonly string[]): QueryParams {
  const query: QueryParams = {};
  const include = embedding.filter((e) => !e.startsWith('+'));
  if (include.length) query.include = include;
  for (const flag of embedding.filter((e) => e.startsWith('+'))) query[flag.slice(1)] = true;
  return query;
}

/** The embedding a listing query asks for: its include[] values and its `with*` flags as `+withX`. */
export function embeddingOf(query: QueryParams): string[] {
  return [...(query.include ?? []), ...Object.keys(query).filter((k) => k.startsWith('with')).map((k) => `+${k}`)];
}

/** Whether the listing accepts every include[] value and flag (some flags exist on reads only). */
export function listAccepts(s: ResourceSpec, embedding: readonly string[]): boolean {
  const accepted = listingAccepts(s);
  return Boolean(accepted) && embedding.every((e) => (e.startsWith('+') ? accepted!.params.has(e.slice(1)) : accepted!.includes.has(e)));
}

/** A listing's query parameters and include[] values, worked out once per resource (asked on every listing). */
const accepting = new WeakMap<ResourceSpec, { params: Set<string>; includes: Set<string> } | null>();
function listingAccepts(s: ResourceSpec): { params: Set<string>; includes: Set<string> } | null {
  let accepted = accepting.get(s);
  if (accepted === undefined) {
    const list = s.contract.operations.list;
    accepted = list
      ? {
          params: new Set(list.query.map((q) => q.name)),
          includes: new Set(list.query.filter((q) => q.name.startsWith('include')).flatMap((q) => (q.schema.items?.enum ?? []).map(String))),
        }
      : null;
    accepting.set(s, accepted);
  }
  return accepted;
}
