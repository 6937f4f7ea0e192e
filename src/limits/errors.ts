/**
 * The error a query limit answers with, in whichever phase it is hit:
 *
 *   { message: "Query depth 14 exceeds the limit of 12 (FACADE_MAX_DEPTH).",
 *     extensions: { code: "QUERY_LIMIT_EXCEEDED", limitName: "FACADE_MAX_DEPTH", limit: 12, value: 14 } }
 *
 * Apollo gives errors of the parse and validation phases its own codes (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED); `limitRefusal` restores ours in the server's formatError, so a client
 * sees one code for every limit, whatever phase enforced it. HTTP status: 400, as Apollo answers
 * validation errors.
 */
import { GraphQLError, Lexer, Source, TokenKind, type GraphQLFormattedError } from 'graphql';
import type { LimitVariable } from './config.js';

export const QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED';
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

export interface LimitDetails {
  /** What was measured, as the message starts: "Query depth", "Query cost". */
  subject: string;
  limitName: LimitVariable;
  limit: number;
  /** The value found; undefined when the check could not finish counting. */
  value: number | undefined;
  /** A sentence appended to the message: how to stay under the limit. */
  hint?: string;
}

export function limitMessage({ subject, limitName, limit, value, hint }: LimitDetails): string {
  const found = value === undefined ? `${subject} exceeds` : `${subject} ${value} exceeds`;
  return `${found} the limit of ${limit} (${limitName}).${hint ? ` ${hint}` : ''}`;
}

export function limitExtensions({ limitName, limit, value }: LimitDetails, code = QUERY_LIMIT_EXCEEDED): Record<string, unknown> {
  return { code, limitName, limit, ...(value === undefined ? {} : { value }) };
}

/** A refusal by one of the query limits; thrown (plugins) or reported (validation rules). */
export class QueryLimitError extends GraphQLError {
  constructor(readonly details: LimitDetails) {
    super(limitMessage(details), { extensions: Object.assign({}, limitExtensions(details), { http: { status: 400 } }) });
    this.name = 'QueryLimitError';
  }

  toFormatted(locations?: GraphQLFormattedError['locations']): GraphQLFormattedError {
    const formatted: GraphQLFormattedError = { message: this.message, extensions: limitExtensions(this.details) };
    return locations ? { message: formatted.message, locations, extensions: formatted.extensions } : formatted;
  }
}

/**
 * graphql-js's own refusal when the parser's `maxLexicalTokens` is reached. graphql 16.15 spells it
 * "more that 2000 tokens"; the pattern takes either, and test/limits.test.ts fails if it stops matching.
 */
const TOKEN_LIMIT = /^Syntax Error: Document contains more th(?:an|at) (\d+) (?:lexical )?tokens\b/;

/**
 * The client-facing form of a refusal by a query limit, or undefined when `error` is something else.
 * `error` is what Apollo hands formatError: our QueryLimitError (thrown in a plugin), Apollo's
 * ValidationError wrapping one (validation rules), or Apollo's SyntaxError for the token limit.
 */
export function limitRefusal(error: unknown): GraphQLFormattedError | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  if (error instanceof QueryLimitError) return error.toFormatted();
  if (error.originalError instanceof QueryLimitError) return error.originalError.toFormatted(error.locations);
  const tokens = TOKEN_LIMIT.exec(error.message);
  if (tokens && error.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
    const source = error.source ?? (error.originalError instanceof GraphQLError ? error.originalError.source : undefined);
    const details: LimitDetails = {
      subject: 'Query token count',
      limitName: 'FACADE_MAX_TOKENS',
      limit: Number(tokens[1]),
      value: source ? countTokens(source.body) : undefined,
    };
    return { message: limitMessage(details), extensions: limitExtensions(details) };
  }
  return undefined;
}

/**
 * Tokens of a document as graphql-js's parser counts them against `maxTokens` (comments are not
 * tokens); undefined when the text does not lex. Only run on a refused document, whose size the
 * request body limit bounds.
 */
export function countTokens(body: string): number | undefined {
  const lexer = new Lexer(new Source(body));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    return undefined;
  }
  return count;
}
