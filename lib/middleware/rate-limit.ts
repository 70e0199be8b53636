import type { RequestHandler } from 'express';
import { claimedClientId } from '../client-auth/claimed-client-id';
import { TooManyRequestsError } from '../errors/token-errors';
import type { ServerEvents } from '../events/server-events';
import type { RateLimiter } from '../store/rate-limiter';

/**
 * Limits requests per client id (from the Basic header or the body), or per IP address when a request
 * names no client, with counters in the store so every instance sharing it enforces one limit. Over the
 * limit: 429 with `Retry-After`, the whole seconds until a point frees (RFC 6585 §4).
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export function rateLimit(limiter: RateLimiter, endpoint: string, events: ServerEvents): RequestHandler {
  return function rateLimitMiddleware(req, _res, next) {
    const clientId = claimedClientId(req);
    const key = clientId === undefined ? `ip:${req.ip}` : `client:${clientId}`;
    limiter.consume(key).then((result) => {
      if (result.allowed) return next();
      const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      events.publish('rate_limited', { at: Date.now(), endpoint, ip: req.ip, key, reason: 'rate_limit', retryAfterSeconds });
      next(new TooManyRequestsError({ description: 'too many requests; retry later', headers: { 'Retry-After': String(retryAfterSeconds) } }));
    }, next);
  };
}
