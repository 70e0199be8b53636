import { authenticatedClient, type RequestState } from '../core/request-state';
import { TooManyRequestsError } from '../errors/token-errors';
import type { ServerEvents } from '../events/server-events';
import { knownKeys, optionalObject, positiveInteger, required } from '../core/validate-option';
import type { RateLimiter } from '../store/rate-limiter';

/**
 * Limits requests per authenticated client, with counters in the store so every instance sharing it enforces
 * one limit. It runs after client authentication, so only a client's own successful requests spend its
 * budget: a stranger who names its id spends nothing of it. Over the limit: 429 with `Retry-After`, the whole
 * seconds until a point frees (RFC 6585 §4).
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export function rateLimit(limiter: RateLimiter, events: ServerEvents): (state: RequestState) => Promise<void> {
  return async function rateLimitStep(state) {
    await consumeRateLimit(limiter, events, state, `client:${authenticatedClient(state).clientId}`);
  };
}

/** Counts one point for `key`; over the limit, a 429 with `Retry-After` and a `rate_limited` event. */
export async function consumeRateLimit(limiter: RateLimiter, events: ServerEvents, state: RequestState, key: string): Promise<void> {
  const result = await limiter.consume(key);
  if (result.allowed) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  events.publish('rate_limited', { at: Date.now(), endpoint: state.endpoint, ip: state.request.ip, key, reason: 'rate_limit', retryAfterSeconds });
  throw new TooManyRequestsError({ description: 'too many requests; retry later', headers: { 'Retry-After': String(retryAfterSeconds) } });
}

/** The rate limit's settings: `points` requests per `durationSeconds`. */
export interface RateLimitSettings {
  readonly points: number;
  readonly durationSeconds: number;
}

/** Checks the `rateLimit` option once, at start-up; `undefined` when it is off. */
export function resolveRateLimitSettings(value: unknown): RateLimitSettings | undefined {
  if (value === undefined) return undefined;
  const options = optionalObject(value as object, 'options.rateLimit') as Record<string, unknown>;
  knownKeys(options, { points: true, durationSeconds: true }, 'options.rateLimit');
  return {
    points: required(positiveInteger(options.points, 'options.rateLimit.points'), 'options.rateLimit.points'),
    durationSeconds: required(positiveInteger(options.durationSeconds, 'options.rateLimit.durationSeconds'), 'options.rateLimit.durationSeconds'),
  };
}
