import type { PlainRequest } from '../http';
import type { Awaitable } from '../clients/client';

/**
 * An availability gate's answer: open, or closed until a number of seconds from now.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type AvailabilityDecision } from 'keyturn';
 *
 * // Closed while a maintenance window runs, open otherwise.
 * const maintenanceEnds = Date.parse('2025-03-01T06:00:00Z');
 * const availability = (): AvailabilityDecision =>
 *   Date.now() >= maintenanceEnds
 *     ? { open: true }
 *     : { open: false, retryAfterSeconds: Math.ceil((maintenanceEnds - Date.now()) / 1000), description: 'down for maintenance' };
 * createAuthorizationServer({ clients, availability });
 * ```
 */
export type AvailabilityDecision =
  | { readonly open: true }
  | {
      readonly open: false;
      /** Seconds until the endpoint opens again; sent as `Retry-After` (rounded up, at least 1). */
      readonly retryAfterSeconds: number;
      /** Shown to the client as the error description. Default: `'the service is temporarily unavailable'`. */
      readonly description?: string;
    };

/**
 * Decides per request whether the endpoints are open. A closed answer is rendered as 503
 * `temporarily_unavailable` with `Retry-After` (RFC 6749 §5.2, RFC 9110 §10.2.3).
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, serviceHours } from 'keyturn';
 *
 * createAuthorizationServer({ clients, availability: serviceHours({ timeZone: 'Europe/Berlin', days: ['mon','tue','wed','thu','fri'], open: '08:00', close: '18:00' }) });
 * ```
 */
export type Availability = (req: PlainRequest) => Awaitable<AvailabilityDecision>;
