/**
 * Federation's `_entities(representations:)`: @apollo/subgraph resolves the list with one `map`,
 * and throws a plain Error for a representation whose `__typename` is not an entity of ours. That
 * kills the whole field as an internal error, and abandons the lookups already started for the
 * representations before it (unhandled rejections). So each representation is checked first: a bad
 * one becomes a BAD_USER_INPUT error at its own index, the good ones resolve as usual.
 */
import { GraphQLError, isUnionType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

export function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) return schema;
  const entities = new Set(union.getTypes().map((t) => t.name));
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    const representations = Array.isArray(args.representations) ? (args.representations as unknown[]) : [];
    const problems = representations.map((r, i) => problemOf(r, i, entities));
    const valid = representations.filter((_, i) => !problems[i]);
    const resolved = valid.length ? (resolve(source, { ...args, representations: valid }, context, info) as unknown[]) : [];
    let next = 0;
    // graphql-js turns an Error item into an error at that item's path, keeping its siblings.
    return representations.map((_, i) => {
      const problem = problems[i];
      return problem ? new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'representations' } }) : resolved[next++];
    });
  };
  return schema;
}

function problemOf(representation: unknown, index: number, entities: Set<string>): string | undefined {
  if (!representation || typeof representation !== 'object') return `Representation ${index} is not an object.`;
  const typename = (representation as { __typename?: unknown }).__typename;
  if (typeof typename !== 'string') return `Representation ${index} has no \`__typename\`.`;
  if (!entities.has(typename)) return `Representation ${index} names \`${typename.slice(0, 64)}\`, which is not an entity of this subgraph.`;
  return undefined;
}
