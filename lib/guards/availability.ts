import type { PlainRequest } from '../http';
import type { Awaitable } from '../clients/client';

/** An availability gate's answer: open, or closed until a number of seconds from now. */
export type AvailabilityDecision =
  | { readonly open: true }
  | {
      readonly open: false;
      /** Seconds until the endpoint opens again; sent as `Retry-After`. */
      readonly retryAfterSeconds: number;
      /** Shown to the client as the error description. */
      readonly description?: string;
    };

/**
 * Decides per request whether the endpoints are open. A closed answer is rendered as 503
 * `temporarily_unavailable` with `Retry-After` (RFC 6749 §5.2, RFC 9110 §10.2.3).
 *
 * @example
 * ```ts
 * createAuthorizationServer({ clients, availability: serviceHours({ timeZone: 'Europe/Berlin', days: ['mon','tue','wed','thu','fri'], open: '08:00', close: '18:00' }) });
 * ```
 */
export type Availability = (req: PlainRequest) => Awaitable<AvailabilityDecision>;
