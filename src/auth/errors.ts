/**
 * The refusals of client authentication, as GraphQL errors carrying their HTTP status and headers:
 * thrown from the context function (or a plugin), Apollo answers with them before anything runs.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

const CHALLENGE = 'Bearer realm="ampeco-graph"';

/** 401: credentials missing (`invalid` false) or not accepted (`invalid` true). */
export function unauthenticated(message: string, invalid: boolean): GraphQLError {
  const challenge = invalid ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE;
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge]]) } },
  });
}

/** 403: the caller is known but its scope does not allow this. */
export function insufficientScope(message: string, needed: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'FORBIDDEN',
      http: { status: 403, headers: new HeaderMap([['www-authenticate', `${CHALLENGE}, error="insufficient_scope", scope="${needed}"`]]) },
    },
  });
}

/** 503: a token could not be checked because the issuer's key set did not answer; not the client's fault. */
export function authenticationUnavailable(): GraphQLError {
  return new GraphQLError("Tokens cannot be checked right now: the identity provider's key set did not answer. Try again shortly.", {
    extensions: { code: 'AUTHENTICATION_UNAVAILABLE', http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) } },
  });
}
