import { Passport } from 'passport';
import type { Client, TokenEndpointAuthMethod } from '../clients/client';
import type { PresentedCredentials, RequestState } from '../core/request-state';
import { InvalidClientError, InvalidRequestError, TooManyRequestsError } from '../errors/token-errors';
import type { ServerEvents } from '../events/server-events';
import type { ClientLockout, LockStatus } from '../guards/lockout';
import { clientSecretBasicStrategy } from './basic';
import { ClientSecretPostStrategy } from './body';
import { PublicClientStrategy } from './public-client';
import type { ClientAuthRequest } from './strategy-request';
import type { VerifyClient } from './verify-client';

/** Settings of {@link authenticateClient}. */
export interface AuthenticateClientSettings {
  readonly realm: string;
  readonly verify: VerifyClient;
  readonly events: ServerEvents;
  /** Locks client ids out after repeated failures; none when the option is off. */
  readonly lockout: ClientLockout | undefined;
}

const UNCOUNTED: LockStatus = Object.freeze({ locked: false, failures: 0 });
const STRATEGY: Readonly<Record<TokenEndpointAuthMethod, string>> = {
  client_secret_basic: 'keyturn-client-secret-basic',
  client_secret_post: 'keyturn-client-secret-post',
  none: 'keyturn-client-none',
};
// Passport's authenticate() writes nothing with a custom callback; it only needs something in the response's place.
const NO_RESPONSE = Object.freeze({});

/**
 * Authenticates the client of a token, revocation or introspection request through Passport, running the one
 * strategy its credentials (read once by `readCredentials`) call for, and turns every failure into an
 * {@link InvalidClientError}: 401 with a Basic challenge (RFC 6749 §5.2). A custom callback keeps Passport
 * from writing its own plain-text 401, and the strategies see a view of the request, not an adapter's request.
 */
export function authenticateClient(settings: AuthenticateClientSettings): (state: RequestState) => void | Promise<void> {
  // A private Passport instance: the host app's own passport.use() registrations stay untouched.
  const passport = new Passport();
  passport.use(STRATEGY.client_secret_basic, clientSecretBasicStrategy(settings.realm, settings.verify));
  passport.use(STRATEGY.client_secret_post, new ClientSecretPostStrategy(settings.verify));
  passport.use(STRATEGY.none, new PublicClientStrategy(settings.verify));
  const challenge = Object.freeze({ 'WWW-Authenticate': `Basic realm="${settings.realm}"` });
  const failed = (state: RequestState, method: string, clientId: string | undefined, description: string) => {
    settings.events.publish('client.auth_failed', { at: Date.now(), endpoint: state.endpoint, ip: state.request.ip, clientId, method });
    return new InvalidClientError({ description, headers: challenge });
  };

  // A successful check that needs no I/O (a remembered secret, the memory store) finishes synchronously, so a
  // token request pays no promise for its client authentication; one that waits resolves a promise.
  const finish = (state: RequestState, credentials: PresentedCredentials, status: LockStatus, client: Client | false): void | Promise<void> => {
    const lockout = status === UNCOUNTED ? undefined : settings.lockout;
    if (!client) {
      const error = failed(state, credentials.method, credentials.clientId, 'client authentication failed');
      if (lockout === undefined) throw error;
      return lockout.recordFailure(credentials.clientId as string).then(() => {
        throw error;
      });
    }
    if (state.params.client_id !== undefined && state.params.client_id !== client.clientId) {
      throw new InvalidRequestError({ description: 'client_id does not match the authenticated client', parameter: 'client_id' });
    }
    state.client = client;
    if (lockout !== undefined && !status.locked && status.failures > 0) return lockout.recordSuccess(client.clientId, status);
    return undefined;
  };

  const runStrategy = (state: RequestState, credentials: PresentedCredentials, status: LockStatus): void | Promise<void> => {
    let settled: { readonly err: unknown; readonly client: Client | false } | undefined;
    let later: ((outcome: { readonly err: unknown; readonly client: Client | false }) => void) | undefined;
    const done = (err: unknown, client?: Client | false): void => {
      const outcome = { err, client: client ?? false };
      if (later === undefined) settled ??= outcome;
      else later(outcome);
    };
    const view: ClientAuthRequest = { headers: state.request.headers, body: state.params, credentials };
    passport.authenticate(STRATEGY[credentials.method], { session: false }, done)(view, NO_RESPONSE, done);
    const settle = (outcome: { readonly err: unknown; readonly client: Client | false }): void | Promise<void> => {
      if (outcome.err) throw outcome.err;
      return finish(state, credentials, status, outcome.client);
    };
    if (settled !== undefined) return settle(settled);
    return new Promise<void>((resolve, reject) => {
      later = (outcome) => {
        later = () => undefined;
        try {
          const pending = settle(outcome);
          if (pending === undefined) resolve();
          else pending.then(resolve, reject);
        } catch (err) {
          reject(err);
        }
      };
    });
  };

  return function authenticateClientStep(state) {
    const credentials = state.credentials;
    if (credentials === undefined || credentials === null) throw failed(state, 'missing', undefined, 'client authentication is required');
    // Public clients have no secret to guess; the lockout counts secret checks only.
    const lockout = settings.lockout === undefined || credentials.method === 'none' || credentials.clientId === undefined ? undefined : settings.lockout;
    if (lockout === undefined) return runStrategy(state, credentials, UNCOUNTED);
    const lockedId = credentials.clientId as string;
    return lockout.status(lockedId).then((status) => {
      if (status.locked) {
        settings.events.publish('rate_limited', {
          at: Date.now(),
          endpoint: state.endpoint,
          ip: state.request.ip,
          key: `client:${lockedId}`,
          reason: 'lockout',
          retryAfterSeconds: status.retryAfterSeconds,
        });
        throw new TooManyRequestsError({ description: 'too many failed authentications; retry later', headers: { 'Retry-After': String(status.retryAfterSeconds) } });
      }
      return runStrategy(state, credentials, status);
    });
  };
}
