/**
 * The schema and the resolvers agree: every root field and every relation has a resolver, every
 * enum maps each value to an AMPECO string, and the schema reads like a product (naming rules).
 */
import { isEnumType, isObjectType, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { enumValues } from '../src/__generated__/enums.js';
import { specs } from '../src/datasources/registry.js';
import { resolvers } from '../src/resolvers/index.js';
import { buildSchema } from '../src/server.js';

const schema = buildSchema();
const resolverMap = resolvers as unknown as Record<string, Record<string, unknown>>;
const FEDERATION_FIELDS = new Set(['_service', '_entities']);

describe('schema and resolvers', () => {
  it('resolves every Query and Mutation field', () => {
    for (const root of [schema.getQueryType(), schema.getMutationType()] as GraphQLObjectType[]) {
      const missing = Object.keys(root.getFields()).filter((f) => !FEDERATION_FIELDS.has(f) && typeof resolverMap[root.name]?.[f] !== 'function');
      expect(missing, `${root.name} fields without a resolver`).toEqual([]);
    }
  });

  it('resolves every relation field and federation reference of each resource type', () => {
    for (const [type, spec] of specs) {
      expect(typeof resolverMap[type]?.__resolveReference, `${type}.__resolveReference`).toBe('function');
      for (const rel of spec.relations) {
        expect(schema.getType(type) && (schema.getType(type) as GraphQLObjectType).getFields()[rel.field], `${type}.${rel.field} in SDL`).toBeTruthy();
        expect(typeof resolverMap[type]?.[rel.field], `${type}.${rel.field} resolver`).toBe('function');
      }
    }
  });

  it('maps every enum value to a string or number AMPECO uses (our own enums in schema/common.graphql aside)', () => {
    const enums = Object.values(schema.getTypeMap()).filter((t) => isEnumType(t) && !t.name.startsWith('__') && !['UserErrorCode', 'CommandOutcome', 'link__Purpose'].includes(t.name));
    expect(enums.length).toBeGreaterThan(50);
    for (const e of enums) {
      if (!isEnumType(e)) continue;
      for (const value of e.getValues()) {
        expect(value.name, `${e.name}.${value.name}`).toMatch(/^[A-Z][A-Z0-9_]*$/);
        expect(enumValues[e.name]?.[value.name], `${e.name}.${value.name} internal value`).toBeDefined();
        expect(value.value).toBe(enumValues[e.name]![value.name]);
      }
    }
  });

  it('follows the naming rules: no REST-shaped names, root fields without verbs, ids as ID', () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || type.name.includes('__') || type.name.startsWith('_')) continue; // introspection and federation
      expect(type.name).not.toMatch(/_response|Response$|^[a-z]/);
    }
    for (const field of Object.keys(schema.getQueryType()!.getFields())) {
      expect(field).not.toMatch(/^(get|list|fetch|read)[A-Z]/);
    }
    for (const [type] of specs) {
      const object = schema.getType(type);
      expect(isObjectType(object)).toBe(true);
      expect(String((object as GraphQLObjectType).getFields().id?.type)).toBe('ID!');
    }
  });
});
