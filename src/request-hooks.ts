/**
 * The facade's own request hooks (auth scope, query cost, no subscriptions, observability), run by one
 * Apollo plugin. Apollo drives every hook of every plugin through promises, several of them in turn
 * (requestDidStart, didResolveSource, didResolveOperation, responseForOperation, executionDidStart,
 * willSendResponse): a plugin per concern cost each request a dozen promises and microtask hops per
 * plugin. Here each concern contributes plain functions, called in the order given, and every request
 * shares one listener.
 */
import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidEncounterErrors,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';

export interface RequestHooks<TContext extends BaseContext> {
  /** Once the operation is known, before it runs: throw (a GraphQLError) to refuse it. */
  didResolveOperation?(requestContext: GraphQLRequestContextDidResolveOperation<TContext>): void;
  didEncounterErrors?(requestContext: GraphQLRequestContextDidEncounterErrors<TContext>): void;
  willSendResponse?(requestContext: GraphQLRequestContextWillSendResponse<TContext>): void;
}

/** One plugin running these hooks; the first refusal in didResolveOperation ends the request (the rest do not run). */
export function requestHooksPlugin<TContext extends BaseContext>(hooks: readonly RequestHooks<TContext>[]): ApolloServerPlugin<TContext> {
  const resolved = hooks.flatMap((h) => (h.didResolveOperation ? [h.didResolveOperation.bind(h)] : []));
  const errors = hooks.flatMap((h) => (h.didEncounterErrors ? [h.didEncounterErrors.bind(h)] : []));
  const sending = hooks.flatMap((h) => (h.willSendResponse ? [h.willSendResponse.bind(h)] : []));
  // Only the hooks someone has: Apollo calls each one a listener defines, even an empty one.
  const listener: GraphQLRequestListener<TContext> = {};
  if (resolved.length) {
    listener.didResolveOperation = async (requestContext) => {
      for (const hook of resolved) hook(requestContext);
    };
  }
  if (errors.length) {
    listener.didEncounterErrors = async (requestContext) => {
      for (const hook of errors) hook(requestContext);
    };
  }
  if (sending.length) {
    listener.willSendResponse = async (requestContext) => {
      for (const hook of sending) hook(requestContext);
    };
  }
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
