/**
 * What is known about the GraphQL request being served, reachable from anywhere below it (the upstream
 * client's per-call hook, formatError) through AsyncLocalStorage, without threading it through every layer.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logger.js';

export interface RequestScope {
  requestId: string;
  /** The request's logger: every line carries the request id. */
  log: Logger;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Upstream attempts made (retries included). */
  upstreamCalls: number;
  /** Filled in once the operation is known. */
  operationName?: string;
  operationType?: string;
  /** extensions.code of every error in the response, as sent. */
  errorCodes: string[];
  /** The response carried data (a partial failure still does). */
  hasData: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}
