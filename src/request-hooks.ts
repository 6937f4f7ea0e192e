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

/** The hooks in order as one async listener hook; undefined when there are none (Apollo calls every hook a listener defines). */
function inOrder<A>(hooks: ((arg: A) => void)[]): ((arg: A) => Promise<void>) | undefined {
  if (!hooks.length) return undefined;
  return async (arg) => {
    for (const hook of hooks) hook(arg);
  };
}

/** One plugin running these hooks; the first refusal in didResolveOperation ends the request (the rest do not run). */
export function requestHooksPlugin<TContext extends BaseContext>(hooks: readonly RequestHooks<TContext>[]): ApolloServerPlugin<TContext> {
  const listener: GraphQLRequestListener<TContext> = {
    didResolveOperation: inOrder(hooks.flatMap((h) => (h.didResolveOperation ? [h.didResolveOperation.bind(h)] : []))),
    didEncounterErrors: inOrder(hooks.flatMap((h) => (h.didEncounterErrors ? [h.didEncounterErrors.bind(h)] : []))),
    willSendResponse: inOrder(hooks.flatMap((h) => (h.willSendResponse ? [h.willSendResponse.bind(h)] : []))),
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
