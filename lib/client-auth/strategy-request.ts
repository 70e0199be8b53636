import type { PresentedCredentials } from '../core/request-state';
import type { CheckGate } from './verify-client';

/**
 * What a client authentication strategy is shown of the request: its headers, its checked parameters and the
 * credentials already decoded from them. Passport decorates the request it authenticates with session helpers
 * (login, logout, isAuthenticated, ...); on this view they stay off the adapter's request, where they would
 * belong to Keyturn's private Passport and could shadow the app's own Passport sessions.
 */
export interface ClientAuthRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Readonly<Record<string, string | undefined>>;
  readonly credentials: PresentedCredentials;
  /** The endpoint's name (`token`, `revoke`, `introspect`): a client assertion's audience depends on it. */
  readonly endpoint: string;
  /** The lockout's reservation, when the attempt must make one before its secret is checked. */
  readonly gate?: CheckGate;
}
