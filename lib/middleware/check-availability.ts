import type { RequestHandler } from 'express';
import type { Availability, AvailabilityDecision } from '../availability/availability';
import { TemporarilyUnavailableError } from '../errors/token-errors';

/**
 * Closes the endpoint with 503 `temporarily_unavailable` and `Retry-After` when the availability gate says
 * so, before any parsing or authentication work is spent.
 */
export function checkAvailability(gate: Availability): RequestHandler {
  const decide = (decision: AvailabilityDecision, next: (err?: unknown) => void) => {
    if (decision.open) return next();
    next(
      new TemporarilyUnavailableError({
        description: decision.description ?? 'the service is temporarily unavailable',
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(decision.retryAfterSeconds))) },
      }),
    );
  };
  return function checkAvailabilityMiddleware(req, _res, next) {
    try {
      const decision = gate(req);
      if (decision instanceof Promise) decision.then((d) => decide(d, next), next);
      else decide(decision, next);
    } catch (err) {
      next(err);
    }
  };
}
