/**
 * The server builds its schema without @apollo/subgraph's re-validation (src/subgraph.ts): it must be
 * the very schema `buildSubgraphSchema` builds from the same SDL, federation's additions included.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { resolvers } from '../src/resolvers/index.js';
import { buildSchema, loadTypeDefs } from '../src/server.js';

describe('the fast subgraph build', () => {
  it('prints the same schema as buildSubgraphSchema over the same SDL', () => {
    const checked = buildSubgraphSchema([{ typeDefs: parse(loadTypeDefs()), resolvers }]);
    const fast = buildSchema();
    expect(printSchema(fast)).toBe(printSchema(checked));
    expect(Object.keys(fast.getTypeMap()).length).toBeGreaterThan(1000);
  });

  it('keeps the @key directives on entity types (the _entities guard reads them)', () => {
    const type = buildSchema().getType('ChargingZone');
    const keys = [type?.astNode, ...(type?.extensionASTNodes ?? [])].flatMap((n) => n?.directives ?? []).filter((d) => d.name.value === 'key');
    expect(keys.map((d) => { const value = d.arguments?.[0]?.value; return value?.kind === Kind.STRING ? value.value : null; })).toEqual(['id locationId']);
  });
});
