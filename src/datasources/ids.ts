/**
 * Values that end up in an upstream path (record ids, parent ids, action path parameters) are
 * checked against what the contract says they are before any call: an integer id must be digits,
 * an enum one of its values, and nothing may be empty or a dot segment (`..` would walk up
 * AMPECO's paths). A bad value is the client's mistake: BAD_USER_INPUT on the field, no call.
 */
import { GraphQLError } from 'graphql';
import type { JsonSchema } from '../definitions/contract-model.js';
import type { ResourceSpec } from './registry.js';

/** AMPECO's integer ids fit in 64 bits; more digits than this cannot name a record. */
const MAX_INTEGER_DIGITS = 19;
const INTEGER_ID = new RegExp(`^[0-9]{1,${MAX_INTEGER_DIGITS}}$`);
/** String ids (sessions) are short tokens; anything longer is not one. */
const MAX_STRING_ID_LENGTH = 128;

/** Why `value` cannot fill a path parameter of this schema, or undefined when it can. */
export function pathValueProblem(schema: JsonSchema | undefined, value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (schema?.enum) return schema.enum.map(String).includes(value) ? undefined : `must be one of ${schema.enum.join(', ')}`;
  if (schema?.type === 'integer' || schema?.type === 'number') {
    return INTEGER_ID.test(value) ? undefined : 'must be a whole number of digits';
  }
  if (schema?.format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : 'must be a date (YYYY-MM-DD)';
  if (value === '.' || value === '..') return 'must not be a dot segment';
  if (value.length > MAX_STRING_ID_LENGTH) return `must be at most ${MAX_STRING_ID_LENGTH} characters long`;
  // Printable ASCII only: ids are tokens, and control characters have no place in a path.
  if (!/^[\x21-\x7e]+$/.test(value)) return 'must be printable ASCII without spaces';
  return undefined;
}

export function checkPathValue(schema: JsonSchema | undefined, value: string, argumentName: string, what: string): void {
  const problem = pathValueProblem(schema, value);
  if (problem) {
    throw new GraphQLError(`\`${argumentName}\` ${problem} (${what}); got ${JSON.stringify(value.slice(0, 64))}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName },
    });
  }
}

const idSchemas = new WeakMap<ResourceSpec, JsonSchema | undefined>();

/** The schema of a resource's own id as its item operations name it in their paths (looked up once per resource). */
export function idSchema(s: ResourceSpec): JsonSchema | undefined {
  if (idSchemas.has(s)) return idSchemas.get(s);
  const schema = findIdSchema(s);
  idSchemas.set(s, schema);
  return schema;
}

function findIdSchema(s: ResourceSpec): JsonSchema | undefined {
  const ops = s.contract.operations;
  for (const op of [ops.read, ops.update, ops.delete]) {
    const param = op?.pathParams.find((p) => p.name === s.idParam);
    if (param) return param.schema;
  }
  const recordId = s.contract.record.properties?.id;
  return recordId?.type ? { type: recordId.type } : undefined;
}

/** Checks a record id of resource `s` (e.g. the `id` argument of `chargePoint(id:)`). */
export function checkId(s: ResourceSpec, id: string, argumentName = 'id'): void {
  checkPathValue(idSchema(s), id, argumentName, `an AMPECO ${s.name} id`);
}
