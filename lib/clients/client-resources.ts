import { InvalidTargetError } from '../errors/target-errors';
import type { Client } from './client';

/**
 * The most `resource` values one request may carry, and the longest one. RFC 8707 sets neither; every value
 * must be one of the client's registered resources anyway, so these only stop a hostile request from making
 * the server compare thousands of strings, or echo a megabyte, before it is refused.
 */
export const RESOURCE_LIMITS = Object.freeze({ count: 16, length: 2048 });

// RFC 8707 §2: "absolute URI, as specified by Section 4.3 of [RFC3986]": a scheme, a colon, then printable
// characters without spaces; and "MUST NOT include a fragment component", so no '#'.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x22\x24-\x7E]+$/;

/** True when `value` is a resource indicator RFC 8707 §2 allows: an absolute URI without a fragment. */
export function isResourceIndicator(value: unknown): value is string {
  return typeof value === 'string' && value.length <= RESOURCE_LIMITS.length && ABSOLUTE_URI.test(value);
}

// Clients are long-lived objects: their resource Set is built once per client.
const allowedSets = new WeakMap<Client, ReadonlySet<string>>();

function allowedResources(client: Client): ReadonlySet<string> {
  let set = allowedSets.get(client);
  if (set === undefined) {
    set = new Set(client.resources ?? []);
    allowedSets.set(client, set);
  }
  return set;
}

/**
 * The resources a request names, checked against the client's allowance (RFC 8707 §2): each an absolute URI
 * without a fragment, each in the client's `resources`, duplicates dropped. `undefined` when the request
 * names none: its tokens get the server's default audience. A client without `resources` may name none.
 * Throws {@link InvalidTargetError} otherwise. No store round trip.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function requestedResources(client: Client, values: readonly string[] | undefined): readonly string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > RESOURCE_LIMITS.count) {
    throw new InvalidTargetError({ description: `at most ${RESOURCE_LIMITS.count} resource parameters may be sent`, parameter: 'resource' });
  }
  const allowed = allowedResources(client);
  for (const value of values) {
    if (!isResourceIndicator(value)) {
      throw new InvalidTargetError({ description: 'resource must be an absolute URI without a fragment', parameter: 'resource' });
    }
    if (!allowed.has(value)) {
      // The value is the client's own input and no secret, but it may be long: it goes to the log only.
      throw new InvalidTargetError({ description: 'the requested resource is not allowed for this client', parameter: 'resource', detail: `client ${client.clientId} asked for ${value.slice(0, 256)}` });
    }
  }
  return values.length === 1 ? values : [...new Set(values)];
}

/**
 * The resources a token request may name when it exchanges or refreshes a grant (RFC 8707 §2.2): checked as
 * {@link requestedResources}, then each must be among the grant's (`granted`). `undefined` when the request
 * names none: the access token is then for all of the grant's resources.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function narrowedResources(client: Client, values: readonly string[] | undefined, granted: readonly string[] | undefined): readonly string[] | undefined {
  const requested = requestedResources(client, values);
  if (requested !== undefined && requested.some((r) => granted === undefined || !granted.includes(r))) {
    throw new InvalidTargetError({ description: 'the requested resource was not part of the authorization grant', parameter: 'resource' });
  }
  return requested;
}
