// Public API of the AMPECO HTTP transport. Layers above import from here only.
export {
  AmpecoHttpClient,
  credentialKey,
  parseRateLimitReset,
  parseRetryAfter,
  type AmpecoHttpClientOptions,
  type AmpecoRequest,
  type AmpecoResponse,
  type RetryOptions,
  type UpstreamCallEvent,
} from './client.js';
export {
  UpstreamError,
  UpstreamUnauthenticatedError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamValidationError,
  UpstreamClientError,
  UpstreamRateLimitedError,
  UpstreamServerError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  UpstreamBadResponseError,
  isUpstreamError,
  type FieldErrors,
  type HttpMethod,
  type UpstreamCallInfo,
  type UpstreamErrorCode,
} from './errors.js';
export {
  CircuitOpenError,
  InProcessBreaker,
  createBreaker,
  isCircuitOpenError,
  type AttemptOutcome,
  type BreakerOptions,
  type BreakerState,
  type UpstreamBreaker,
  type Verdict,
} from './breaker.js';
export { DeadlinePassed } from './deadline.js';
export { encodeQuery, type QueryParams, type QueryScalar } from './query.js';
export {
  ConcurrencyLimiter,
  InMemoryRateBudget,
  type InMemoryRateBudgetOptions,
  type RateBudget,
  type RateLimitObservation,
} from './rate-limiter.js';
