/**
 * The benchmark corpus: every `bench/queries/*.graphql` with its variables (a sibling `.json`) and its
 * description (the leading `#` comment). Each query is validated against the schema the facade serves,
 * so a corpus query that drifted from the graph fails at load, not as a confusing bench row.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Kind,
  getNamedType,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type GraphQLCompositeType,
} from 'graphql';
import { resources } from '../src/definitions/graph.js';

export const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'queries');

export interface CorpusQuery {
  /** File name without extension, e.g. `session-history`. */
  name: string;
  description: string;
  text: string;
  variables: Record<string, unknown>;
  /** Longest chain of relation hops (root field = 1) in the query: the round trips it may take. */
  depth: number;
}

export function loadCorpus(schema: GraphQLSchema, only?: string[]): CorpusQuery[] {
  const files = readdirSync(QUERIES_DIR).filter((f) => f.endsWith('.graphql')).sort();
  const out: CorpusQuery[] = [];
  for (const file of files) {
    const name = basename(file, '.graphql');
    if (only?.length && !only.includes(name)) continue;
    const text = readFileSync(join(QUERIES_DIR, file), 'utf8');
    const description = text
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^#\s?/, ''))
      .join(' ')
      .trim();
    const varsFile = join(QUERIES_DIR, `${name}.json`);
    const variables = existsSync(varsFile) ? (JSON.parse(readFileSync(varsFile, 'utf8')) as Record<string, unknown>) : {};
    const doc = parse(text);
    const errors = validate(schema, doc);
    if (errors.length) throw new Error(`bench/queries/${file} does not validate: ${errors.map((e) => e.message).join('; ')}`);
    out.push({ name, description, text, variables, depth: relationDepth(schema, doc) });
  }
  if (out.length === 0) throw new Error(`No corpus queries matched ${only?.join(', ') ?? ''}`);
  return out;
}

/** Relation fields by owning type, from the hand-kept definitions (grows with the graph). */
const RELATIONS = new Map(resources.map((r) => [r.name, new Set(r.relations.map((rel) => rel.field))]));

/**
 * Counts hops: a root field (other than introspection) is one, and so is every relation field of a
 * resource type under it. Connection wrappers (`nodes`, `edges`, `node`) are not hops.
 */
export function relationDepth(schema: GraphQLSchema, doc: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) return 0;
  const walk = (set: SelectionSetNode | undefined, type: GraphQLCompositeType, isRoot: boolean): number => {
    let deepest = 0;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
        const field = fields[sel.name.value];
        if (!field) continue;
        const hop = isRoot || RELATIONS.get(type.name)?.has(sel.name.value) ? 1 : 0;
        const inner = getNamedType(field.type);
        const below = isObjectType(inner) || isInterfaceType(inner) || isUnionType(inner) ? walk(sel.selectionSet, inner, false) : 0;
        deepest = Math.max(deepest, hop + below);
      } else {
        const cond = sel.kind === Kind.INLINE_FRAGMENT ? sel.typeCondition : fragments.get(sel.name.value)?.typeCondition;
        const target = cond ? schema.getType(cond.name.value) : type;
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : fragments.get(sel.name.value)?.selectionSet;
        if (target && (isObjectType(target) || isInterfaceType(target) || isUnionType(target))) {
          deepest = Math.max(deepest, walk(inner, target, isRoot));
        }
      }
    }
    return deepest;
  };
  const root = schema.getQueryType();
  return root ? walk(op.selectionSet, root, true) : 0;
}
