/** Apollo plugin: tells the request's scope which operation ran and which error codes it answered with. */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { currentScope } from './request-scope.js';

/** Operation names as clients send them are free text until resolved against the document. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export function observabilityPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, operationName, request, response }) {
          const scope = currentScope();
          if (!scope) return;
          const name = operationName ?? request.operationName;
          if (name && GRAPHQL_NAME.test(name)) scope.operationName = name;
          if (operation) scope.operationType = operation.operation;
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          scope.errorCodes = (result.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR'));
          scope.hasData = result.data !== undefined && result.data !== null;
        },
      };
    },
  };
}
