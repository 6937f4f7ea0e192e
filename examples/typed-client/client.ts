/**
 * A GraphQL client in a few lines: the generated documents carry their result and variables types
 * (TypedDocumentNode), so `execute` needs no type arguments at the call site and no Apollo client.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';

export interface ClientOptions {
  /** The facade's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`: an AMPECO token, or the facade's own client credential. */
  token?: string | undefined;
}

/** The response held GraphQL errors; `data` is whatever part of the result was still resolved. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly errors: readonly GraphQLFormattedError[],
    readonly data: unknown,
  ) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphQLRequestError';
  }
}

/** Operations without variables may leave them out; all others must pass exactly their variables. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export function createClient({ url, token }: ClientOptions) {
  return async function execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: VariablesArgument<TVariables>
  ): Promise<TResult> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    // GraphQL errors come with a JSON body whatever the status (400 for a refused query); anything
    // else (a proxy's HTML page, a 502) is a transport failure.
    const body = (await res.json().catch(() => {
      throw new Error(`${url} answered HTTP ${res.status} without a GraphQL response`);
    })) as { data?: TResult | null; errors?: GraphQLFormattedError[] };
    // Strict on purpose: a field that failed reads as null in `data`, which a screen could mistake for
    // "none"; an app that renders partial results would return body.errors alongside instead.
    if (body.errors?.length) throw new GraphQLRequestError(body.errors, body.data ?? null);
    if (body.data == null) throw new Error(`${url} answered HTTP ${res.status} without data`);
    return body.data;
  };
}

export type Execute = ReturnType<typeof createClient>;
