/**
 * Federation's `_entities(representations:)`: @apollo/subgraph resolves the list with one `map`,
 * calling each type's `__resolveReference` with whatever the representation holds. A plain Error
 * thrown there (an unknown `__typename`, a key value no id can be made of) kills the whole field as
 * an internal error, and abandons the lookups already started for the representations before it
 * (unhandled rejections). So each representation is checked first against its type's `@key`s: a bad
 * one becomes a BAD_USER_INPUT error at its own index, without any upstream call. The good ones are
 * resolved one by one (in the same tick, so their reads still join one batch), each in its own
 * try: whatever one of them throws stays at its index, and the others are kept.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  isLeafType,
  isUnionType,
  parse,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** One field of a `@key(fields:)` selection: a leaf (`id`) or an object with its own fields. */
interface KeyField {
  name: string;
  type: GraphQLNamedType;
  fields?: KeyField[];
}

/** A key as written (`id userId`) and as fields. */
interface EntityKey {
  text: string;
  fields: KeyField[];
}

export function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) return schema;
  const keys = new Map(union.getTypes().map((t) => [t.name, keysOf(t)]));
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    const representations = Array.isArray(args.representations) ? (args.representations as unknown[]) : [];
    // graphql-js turns an Error item into an error at that item's path, keeping its siblings.
    return representations.map((representation, i) => {
      const problem = problemOf(representation, i, keys);
      if (problem) return new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'representations' } });
      try {
        return (resolve(source, Object.assign({}, args, { representations: [representation] }), context, info) as unknown[])[0];
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  };
  return schema;
}

/** The `@key`s of an entity type, read from its definition in the SDL. */
function keysOf(type: GraphQLObjectType): EntityKey[] {
  const directives = [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
  const out: EntityKey[] = [];
  for (const directive of directives) {
    if (directive.name.value !== 'key' && directive.name.value !== 'federation__key') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'fields');
    if (argument?.value.kind !== Kind.STRING) continue;
    const operation = parse(`{ ${argument.value.value} }`).definitions[0];
    if (operation?.kind === Kind.OPERATION_DEFINITION) out.push({ text: argument.value.value, fields: keyFields(type, operation.selectionSet) });
  }
  return out;
}

function keyFields(type: GraphQLNamedType, selections: SelectionSetNode): KeyField[] {
  if (!isCompositeType(type) || isUnionType(type)) throw new Error(`@key on ${type.name} selects fields of a type without fields`);
  const fields = type.getFields();
  return selections.selections.map((s) => {
    if (s.kind !== Kind.FIELD) throw new Error(`@key on ${type.name} may only select fields`);
    const f = fields[s.name.value];
    if (!f) throw new Error(`@key on ${type.name} names \`${s.name.value}\`, which is not one of its fields`);
    const named = getNamedType(f.type);
    return s.selectionSet ? { name: f.name, type: named, fields: keyFields(named, s.selectionSet) } : { name: f.name, type: named };
  });
}

function problemOf(representation: unknown, index: number, keys: Map<string, EntityKey[]>): string | undefined {
  if (!representation || typeof representation !== 'object' || Array.isArray(representation)) return `Representation ${index} is not an object.`;
  const typename = (representation as { __typename?: unknown }).__typename;
  if (typeof typename !== 'string') return `Representation ${index} has no \`__typename\`.`;
  const entityKeys = keys.get(typename);
  if (!entityKeys) return `Representation ${index} names \`${typename.slice(0, 64)}\`, which is not an entity of this subgraph.`;
  // A representation needs all the fields of one of its type's keys (usually there is one key).
  const problems = entityKeys.map((key) => keyProblem(representation as Record<string, unknown>, key.fields, ''));
  if (problems.length === 0 || problems.some((p) => p === undefined)) return undefined;
  const keyText = entityKeys.map((k) => `\`${k.text}\``).join(' or ');
  return `Representation ${index} (\`${typename}\`): ${problems[0]}; a ${typename} is found by its key ${keyText}.`;
}

/** Why `value` does not hold these key fields, or undefined when it does. */
function keyProblem(value: Record<string, unknown>, fields: KeyField[], prefix: string): string | undefined {
  for (const field of fields) {
    const path = `${prefix}${field.name}`;
    const v = value[field.name];
    if (v === undefined || v === null) return `\`${path}\` is missing`;
    if (field.fields) {
      if (typeof v !== 'object' || Array.isArray(v)) return `\`${path}\` is not an object`;
      const inner = keyProblem(v as Record<string, unknown>, field.fields, `${path}.`);
      if (inner) return inner;
    } else if (!leafAccepts(field.type, v)) {
      return `\`${path}\` is not a valid ${field.type.name}`;
    }
  }
  return undefined;
}

/** Whether a key's leaf field takes `value` as an input (an ID: a string or an integer). */
function leafAccepts(type: GraphQLNamedType, value: unknown): boolean {
  if (!isLeafType(type) || typeof value === 'object') return false;
  try {
    type.parseValue(value);
    return true;
  } catch {
    return false;
  }
}
