import type { RequestState } from '../core/request-state';
import { TemporarilyUnavailableError } from '../errors/token-errors';
import type { Availability, AvailabilityDecision } from './availability';

/**
 * Closes the endpoint with 503 `temporarily_unavailable` and `Retry-After` when the availability gate says
 * so, before any parsing or authentication work is spent.
 */
export function checkAvailability(gate: Availability): (state: RequestState) => void | Promise<void> {
  const decide = (decision: AvailabilityDecision): void => {
    if (decision.open) return;
    throw new TemporarilyUnavailableError({
      description: decision.description ?? 'the service is temporarily unavailable',
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(decision.retryAfterSeconds))) },
    });
  };
  return function checkAvailabilityStep(state) {
    const decision = gate(state.request);
    if (decision instanceof Promise) return decision.then(decide);
    decide(decision);
  };
}
