/**
 * Date scalars pass AMPECO's ISO-8601 strings through unchanged (no time-zone rewriting), but
 * refuse anything that is not one, in both directions.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoScalar(name: string, pattern: RegExp, example: string, description: string): GraphQLScalarType {
  const valid = (value: unknown): value is string =>
    typeof value === 'string' && pattern.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
  // A bad value from a client is its input error; a bad value from AMPECO is AMPECO's.
  const parse = (value: unknown): string => {
    if (valid(value)) return value;
    throw new GraphQLError(`${name} must be an ISO-8601 string like ${example}; got ${JSON.stringify(value)}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  };
  const serialize = (value: unknown): string => {
    if (value instanceof Date) return value.toISOString();
    if (valid(value)) return value;
    throw new GraphQLError(`AMPECO sent a ${name} that is not ISO-8601.`, { extensions: { code: 'UPSTREAM_BAD_RESPONSE' } });
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize,
    parseValue: parse,
    parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

export const DateTime = isoScalar('DateTime', DATE_TIME, '2026-11-25T10:15:00Z', 'An ISO-8601 instant.');
export const DateScalar = isoScalar('Date', DATE, '2026-11-25', 'An ISO-8601 calendar date.');
export const JSONScalar = GraphQLJSON;
