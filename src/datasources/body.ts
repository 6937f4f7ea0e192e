/**
 * Shapes a GraphQL input into the JSON body AMPECO's contract asks for. GraphQL carries ids as
 * strings (`ID`); the contract wants integers in most places, so values are coerced by schema.
 */
import type { JsonSchema } from '../definitions/contract-model.js';
import { graphqlFieldName } from '../definitions/naming.js';

export function toRestBody(value: unknown, schema: JsonSchema | undefined): unknown {
  if (value === null || value === undefined || !schema) return value;
  if (Array.isArray(value)) return value.map((item) => toRestBody(item, schema.items));
  if (typeof value === 'object') {
    // The input names AMPECO's snake_case keys in camelCase (see graphqlFieldName): back to AMPECO's key.
    const keyOf = new Map(Object.keys(schema.properties ?? {}).map((key) => [graphqlFieldName(key), key]));
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
      if (field === undefined) continue;
      const key = schema.properties?.[name] ? name : (keyOf.get(name) ?? name);
      out[key] = toRestBody(field, schema.properties?.[key]);
    }
    return out;
  }
  if (typeof value === 'string' && (schema.type === 'integer' || schema.type === 'number')) {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  return value;
}
