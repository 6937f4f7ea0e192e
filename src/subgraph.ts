/**
 * The executable subgraph schema, built fast: the SDL the generator checked (schema/, with what
 * Federation adds in src/__generated__/federation.graphql) goes straight into graphql-js without
 * validation, and federation's two root fields get @apollo/subgraph's own resolvers.
 *
 * @apollo/subgraph's `buildSubgraphSchema` does the same but first re-validates the whole subgraph
 * through its own schema model, then prints and re-parses it: ~0.9 s and ~30 MiB at start for
 * ~1,200 types. The generator runs that build (scripts/contract/federation.ts) and test/subgraph.test.ts
 * checks that both builds print the same schema, so nothing is lost by skipping it here. The
 * `_service { sdl }` text (what gateways compose) is printed by @apollo/subgraph itself, on first request.
 */
// Not in the package's index, but its public build uses them the same way (no `exports` map: stable path).
import { addResolversToSchema } from '@apollo/subgraph/dist/schema-helper/index.js';
import { entitiesResolver } from '@apollo/subgraph/dist/types.js';
import type { GraphQLSchemaModule } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { Kind, buildASTSchema, executeSync, parse, type DefinitionNode, type DocumentNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';

/** A module's resolver map (the form `buildSubgraphSchema` takes): its resolvers may read any context. */
type ResolverMap = NonNullable<GraphQLSchemaModule['resolvers']>;

/**
 * The document to build: the SDL texts (`parts`, in the order `buildSubgraphSchema` would see them) and
 * federation's additions, which go right after the part defining Query (so fields come in the same order).
 */
export function subgraphDocument(parts: readonly string[], federation: string): DocumentNode {
  const [first = '', ...rest] = parts;
  // The order `buildSubgraphSchema` gives: federation's root fields after the first part's Query fields,
  // its types after all of ours (printSchema and introspection list them in this order).
  const added = parse(federation, { noLocation: true }).definitions;
  const isQueryExtension = (d: DefinitionNode): boolean => d.kind === Kind.OBJECT_TYPE_EXTENSION && d.name.value === 'Query';
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      ...parse(first, { noLocation: true }).definitions,
      ...added.filter(isQueryExtension),
      ...parse(rest.join('\n'), { noLocation: true }).definitions,
      ...added.filter((d) => !isQueryExtension(d)),
    ],
  };
}

/**
 * The executable schema of `document` (subgraphDocument of `sdlParts`, or the build's parse of it: see
 * schema-files.ts). `sdlParts` are kept for `_service { sdl }`.
 */
export function buildExecutableSubgraph(sdlParts: readonly string[], document: DocumentNode, resolvers: ResolverMap): GraphQLSchema {
  const sdl = sdlParts.join('\n');
  const schema = buildASTSchema(document, { assumeValid: true, assumeValidSDL: true });
  let printed: Promise<string> | undefined;
  addResolversToSchema(schema, {
    Query: {
      // Printed from a checked build of the same SDL, once, when a gateway or registry first asks.
      _service: async () => ({ sdl: await (printed ??= serviceSdl(sdl)) }),
      _entities: (_source, { representations }: { representations: unknown[] }, context: unknown, info: GraphQLResolveInfo): unknown =>
        entitiesResolver({ representations, context, info }) as unknown,
    },
    _Entity: { __resolveType: (parent: { __typename?: string }) => parent.__typename },
  });
  addResolversToSchema(schema, resolvers);
  return schema;
}

/**
 * What `buildSubgraphSchema` answers to `{ _service { sdl } }` for this SDL: the text gateways compose.
 * @apollo/subgraph's index (and with it @apollo/federation-internals) is loaded only then: ~45 ms of
 * start-up and its code's memory that most servers, asked by no gateway, never need.
 */
async function serviceSdl(sdl: string): Promise<string> {
  const { buildSubgraphSchema } = await import('@apollo/subgraph');
  const checked = buildSubgraphSchema([{ typeDefs: parse(sdl) }]);
  const result = executeSync({ schema: checked, document: parse('{ _service { sdl } }') }) as { data?: { _service?: { sdl?: string } } };
  const text = result.data?._service?.sdl;
  if (typeof text !== 'string') throw new Error('@apollo/subgraph printed no SDL');
  return text;
}
