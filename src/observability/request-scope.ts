/**
 * What is known about the GraphQL request being served: made when it arrives (observability/index.ts),
 * carried in its GraphQL context (`Context.scope`) to the Apollo plugin that fills in the operation, and
 * read when the response closes to write its log line. Passed along explicitly rather than through
 * AsyncLocalStorage: on Node 20 that puts a hook on every promise of every request, about a tenth of a
 * simple query's CPU time.
 */
import type { Logger } from './logger.js';

export interface RequestScope {
  requestId: string;
  /** The request's logger: every line carries the request id. */
  log: Logger;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Upstream calls made so far (a retry is not a new call); set once the request's datasource exists. */
  callsMade?: () => number;
  /** Filled in once the operation is known. */
  operationName?: string;
  operationType?: string;
  /** extensions.code of every error in the response, as sent. */
  errorCodes: string[];
  /** The response carried data (a partial failure still does). */
  hasData: boolean;
}
