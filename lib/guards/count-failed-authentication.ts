import type { RequestState } from '../core/request-state';
import type { ServerEvents } from '../events/server-events';
import type { RateLimiter } from '../store/rate-limiter';
import { consumeRateLimit } from './rate-limit';

/**
 * Counts a failed client authentication against the rate limit, keyed by the requester's address, so
 * failures cost their sender, not the client they name. It runs after the failed check; what bounds the
 * checks themselves is the lockout.
 */
export function countFailedAuthentication(limiter: RateLimiter, events: ServerEvents): (state: RequestState) => Promise<void> {
  return (state) => consumeRateLimit(limiter, events, state, `ip:${state.request.ip ?? 'unknown'}`);
}
