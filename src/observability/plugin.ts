/**
 * Request hooks (see request-hooks.ts): tell the request's scope (carried in its context) which
 * operation ran and which error codes it answered with, and log, with the request's id, the errors a
 * server-side reader must hear about (a bug of ours, a value AMPECO sent off its contract). Clients see
 * those masked (formatError).
 */
import type { BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { RequestHooks } from '../request-hooks.js';
import type { Logger } from './logger.js';
import type { RequestScope } from './request-scope.js';

/** Operation names as clients send them are free text until resolved against the document. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** A context that may carry the request's scope (tests may build one without). */
export interface ScopedContext extends BaseContext {
  scope?: RequestScope;
}

/** What to log about an error: its line, or undefined for the errors that are the client's or AMPECO's to know about. */
export interface Problem {
  level: 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

export function observabilityHooks<TContext extends ScopedContext>(options: {
  problem: (error: GraphQLError) => Problem | undefined;
  /** Where problems go when the context carries no scope. */
  log: Logger;
}): RequestHooks<TContext> {
  return {
    didEncounterErrors({ contextValue, errors }) {
      for (const error of errors) {
        const problem = options.problem(error);
        if (problem) (contextValue.scope?.log ?? options.log)[problem.level](problem.fields, problem.msg);
      }
    },
    willSendResponse({ contextValue, operation, operationName, request, response }) {
      const scope = contextValue.scope;
      if (!scope) return;
      const name = operationName ?? request.operationName;
      if (name && GRAPHQL_NAME.test(name)) scope.operationName = name;
      if (operation) scope.operationType = operation.operation;
      const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
      scope.errorCodes = (result.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR'));
      scope.hasData = result.data !== undefined && result.data !== null;
    },
  };
}
