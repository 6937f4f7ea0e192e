/**
 * Sub-resources (a connector under its EVSE under its charge point) are addressed through their
 * parents, and AMPECO's records do not always say which parents they sit under. These keep the
 * parents' ids on every record the facade hands out, so relations and federation keys work.
 */
import { GraphQLError } from 'graphql';
import { lowerFirst } from '../definitions/naming.js';
import { readPath, type RestRecord } from './records.js';
import type { ResourceSpec } from './registry.js';

/** Reads a record by id (the datasource's `get`): a grandparent's id is found on the parent's record. */
export type ParentReader = (type: string, id: string) => Promise<RestRecord | null>;

/** The id of the record's immediate parent, as the record holds it. */
export function parentIdOf(s: ResourceSpec, record: RestRecord): string | undefined {
  const link = s.parents?.at(-1);
  if (!link) return undefined;
  const value = readPath(record, link.field);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A child record embedded in `parent` (type `p`), with the ids of the parents it sits under. */
export function linkChild(c: ResourceSpec, p: ResourceSpec, parent: RestRecord, row: RestRecord): RestRecord {
  const child: RestRecord = Object.assign({}, row);
  for (const link of c.parents ?? []) {
    child[link.field] ??= link.resource === p.name ? parent.id : readPath(parent, link.field);
  }
  return child;
}

/** A record read under `parentId`, with the ids of all its parents (the outer ones from the parent's record). */
export async function stampParents(s: ResourceSpec, record: RestRecord, parentId: string | undefined, readParent: ParentReader): Promise<RestRecord> {
  const links = s.parents ?? [];
  const immediate = links.at(-1);
  if (!immediate || links.every((l) => record[l.field] !== undefined && record[l.field] !== null)) return record;
  const out: RestRecord = Object.assign({}, record);
  out[immediate.field] ??= parentId;
  if (links.length > 1 && parentId !== undefined) {
    const parent = await readParent(immediate.resource, parentId);
    for (const link of links.slice(0, -1)) out[link.field] ??= parent ? readPath(parent, link.field) : undefined;
  }
  return out;
}

/** The name of the argument that carries the id of a sub-resource's parent (`evseId`). */
export function parentArgumentName(s: ResourceSpec): string {
  const link = s.parents?.at(-1);
  return link ? `${lowerFirst(link.resource)}Id` : 'id';
}

/** A sub-resource asked for without its parent's id (or with an empty one): AMPECO has no path for it. */
export function missingParentId(s: ResourceSpec): GraphQLError {
  const parent = s.parents?.at(-1)?.resource ?? s.name;
  const argumentName = parentArgumentName(s);
  return new GraphQLError(`\`${argumentName}\` must not be empty: a ${s.name} is addressed through its ${parent}.`, {
    extensions: { code: 'BAD_USER_INPUT', argumentName },
  });
}
