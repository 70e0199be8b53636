import { Passport } from 'passport';
import type { Client, TokenEndpointAuthMethod } from '../clients/client';
import type { PresentedCredentials, RequestState } from '../core/request-state';
import { InvalidClientError, InvalidRequestError, TooManyRequestsError } from '../errors/token-errors';
import type { ServerEvents } from '../events/server-events';
import type { Admission, ClientLockout, Reservation } from '../guards/lockout';
import { clientSecretBasicStrategy } from './basic';
import { ClientSecretPostStrategy } from './body';
import { PublicClientStrategy } from './public-client';
import { ClientAssertionStrategy, type VerifyAssertion } from './client-assertion';
import type { ClientAuthRequest } from './strategy-request';
import { SingleFlight } from './single-flight';
import type { CheckGate, VerifyClient } from './verify-client';

/** Settings of {@link authenticateClient}. */
export interface AuthenticateClientSettings {
  readonly realm: string;
  readonly verify: VerifyClient;
  readonly events: ServerEvents;
  /** Bounds wrong credentials per address, client and pair; none when the option is off. */
  readonly lockout: ClientLockout | undefined;
  /** Counts a failed authentication against the rate limit, by address; none without one. */
  readonly countFailure: ((state: RequestState) => Promise<void>) | undefined;
  /** A keyed digest of a presented secret (`SecretVerifier.fingerprint`), to tell identical attempts apart. */
  readonly fingerprint: (clientId: string, secret: string) => string;
  /** Checks JWT client assertions (`private_key_jwt`, `client_secret_jwt`); without it they fail. */
  readonly verifyAssertion?: VerifyAssertion;
}

/** How a strategy ended: an error, or a verdict with the reason of a failure when it gives one. */
interface Outcome {
  readonly err: unknown;
  readonly client: Client | false;
  readonly reason: string | undefined;
}

/** One request's attempt: the lockout's reservation once one is made. */
interface Attempt {
  reservation: Reservation | undefined;
}

const STRATEGY: Readonly<Record<TokenEndpointAuthMethod, string>> = {
  client_secret_basic: 'keyturn-client-secret-basic',
  client_secret_post: 'keyturn-client-secret-post',
  none: 'keyturn-client-none',
  private_key_jwt: 'keyturn-private-key-jwt',
  client_secret_jwt: 'keyturn-client-secret-jwt',
};
// Passport's authenticate() writes nothing with a custom callback; it only needs something in the response's place.
const NO_RESPONSE = Object.freeze({});

/**
 * Authenticates the client of a token, revocation or introspection request through Passport, running the one
 * strategy its credentials (read once by `readCredentials`) call for, and turns every failure into an
 * {@link InvalidClientError}: 401 with a Basic challenge (RFC 6749 §5.2). A custom callback keeps Passport
 * from writing its own plain-text 401, and the strategies see a view of the request, not an adapter's request.
 *
 * With a lockout, an attempt reserves its points before its secret is checked: up front for a client and
 * address this instance has not seen succeed lately, and otherwise only when the secret is not one this
 * process already verified, so a client's steady traffic costs no store round trip. Failures that check no
 * secret (none presented, a public client's unknown id) are counted after the fact, and so are failed client
 * assertions: a signature cannot be guessed, so an assertion reserves nothing, a correct one never meets the
 * lockout, and a stranger's bad assertions spend only the budgets of the stranger's own address.
 */
export function authenticateClient(settings: AuthenticateClientSettings): (state: RequestState) => void | Promise<void> {
  // A private Passport instance: the host app's own passport.use() registrations stay untouched.
  const passport = new Passport();
  const verifyAssertion: VerifyAssertion = settings.verifyAssertion ?? (() => Promise.resolve({ failure: 'client assertions are not accepted' }));
  passport.use(STRATEGY.client_secret_basic, clientSecretBasicStrategy(settings.realm, settings.verify));
  passport.use(STRATEGY.client_secret_post, new ClientSecretPostStrategy(settings.verify));
  passport.use(STRATEGY.none, new PublicClientStrategy(settings.verify));
  passport.use(STRATEGY.private_key_jwt, new ClientAssertionStrategy(STRATEGY.private_key_jwt, 'private_key_jwt', verifyAssertion));
  passport.use(STRATEGY.client_secret_jwt, new ClientAssertionStrategy(STRATEGY.client_secret_jwt, 'client_secret_jwt', verifyAssertion));
  const challenge = Object.freeze({ 'WWW-Authenticate': `Basic realm="${settings.realm}"` });
  const { lockout, countFailure } = settings;

  const refused = (state: RequestState, admission: Admission & { admitted: false }): TooManyRequestsError => {
    settings.events.publish('rate_limited', {
      at: Date.now(),
      endpoint: state.endpoint,
      ip: state.request.ip,
      key: admission.key,
      reason: 'lockout',
      retryAfterSeconds: admission.retryAfterSeconds,
    });
    return new TooManyRequestsError({ description: 'too many failed authentications; retry later', headers: { 'Retry-After': String(admission.retryAfterSeconds) } });
  };

  const reserve = async (state: RequestState, clientId: string | undefined, checksSecret: boolean): Promise<Reservation> => {
    const admission = await (lockout as ClientLockout).reserve(clientId, requester(state), checksSecret);
    if (!admission.admitted) throw refused(state, admission);
    return admission.reservation;
  };

  // A failure is counted before it is answered: the lockout's points (reserved already, or taken now for an
  // attempt that checked no secret), then the rate limit's point for the address. Either may turn the 401
  // into a 429.
  const fail = async (state: RequestState, method: string, clientId: string | undefined, description: string, attempt: Attempt): Promise<never> => {
    settings.events.publish('client.auth_failed', { at: Date.now(), endpoint: state.endpoint, ip: state.request.ip, clientId, method });
    if (lockout !== undefined) {
      const reservation = attempt.reservation ?? (await reserve(state, clientId, false));
      await lockout.failed(reservation);
    }
    if (countFailure !== undefined) await countFailure(state);
    throw new InvalidClientError({ description, headers: challenge });
  };

  // An attempt that ends in an error, not in a verdict on its credentials, gives its points back first: an
  // outage or a faulty findClient must not spend the client's budget.
  const abandoned = (attempt: Attempt, err: unknown): never | Promise<never> => {
    if (lockout === undefined || attempt.reservation === undefined) throw err;
    return lockout.abandon(attempt.reservation).then(() => {
      throw err;
    });
  };

  // A successful check that needs no I/O (a remembered secret, the memory store) finishes synchronously, so a
  // token request pays no promise for its client authentication; one that waits resolves a promise.
  const finish = (state: RequestState, credentials: PresentedCredentials, attempt: Attempt, client: Client | false, reason: string | undefined): void | Promise<void> => {
    if (!client) return fail(state, credentials.method, credentials.clientId, reason ?? 'client authentication failed', attempt);
    if (state.params.client_id !== undefined && state.params.client_id !== client.clientId) {
      return abandoned(attempt, new InvalidRequestError({ description: 'client_id does not match the authenticated client', parameter: 'client_id' }));
    }
    state.client = client;
    if (lockout !== undefined && attempt.reservation !== undefined) return lockout.succeeded(attempt.reservation);
    return undefined;
  };

  const runStrategy = (state: RequestState, credentials: PresentedCredentials, attempt: Attempt, gate: CheckGate | undefined): void | Promise<void> => {
    let settled: Outcome | undefined;
    let later: ((outcome: Outcome) => void) | undefined;
    // A client assertion's failure says why (RFC 7523 §3.2 allows it); the secret strategies' challenges do not.
    const explains = credentials.method === 'private_key_jwt' || credentials.method === 'client_secret_jwt';
    const done = (err: unknown, client?: Client | false, info?: unknown): void => {
      const outcome = { err, client: client ?? false, reason: explains && typeof info === 'string' ? info : undefined };
      if (later === undefined) settled ??= outcome;
      else later(outcome);
    };
    const view: ClientAuthRequest = { headers: state.request.headers, body: state.params, credentials, endpoint: state.endpoint, gate };
    passport.authenticate(STRATEGY[credentials.method], { session: false }, done)(view, NO_RESPONSE, done);
    const settle = (outcome: Outcome): void | Promise<void> => {
      if (outcome.err) return abandoned(attempt, outcome.err);
      return finish(state, credentials, attempt, outcome.client, outcome.reason);
    };
    if (settled !== undefined) return settle(settled);
    return new Promise<void>((resolve, reject) => {
      later = (outcome: Outcome) => {
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

  const identical = new SingleFlight();

  return function authenticateClientStep(state): void | Promise<void> {
    const credentials = state.credentials;
    const attempt: Attempt = { reservation: undefined };
    if (credentials === undefined || credentials === null) return fail(state, 'missing', undefined, 'client authentication is required', attempt);
    const clientId = credentials.clientId;
    // Public clients have no secret to guess: their failures are counted after the fact, like missing ones.
    if (lockout === undefined || credentials.clientSecret === undefined || clientId === undefined) return runStrategy(state, credentials, attempt, undefined);
    const secret = credentials.clientSecret;
    // The same client, address and secret already being checked: share its verdict. A success leaves the
    // secret verified and the pair recent, so a request that waited then passes without a reservation.
    const sameAttempt = () => `${requester(state)}|${clientId}|${settings.fingerprint(clientId, secret)}`;
    if (lockout.recentlySucceeded(clientId, requester(state))) {
      let settle: ReturnType<SingleFlight['hold']> | undefined;
      const gate: CheckGate = () => {
        const key = sameAttempt();
        const running = identical.current(key);
        if (running !== undefined) return running;
        lockout.distrust(clientId, requester(state));
        settle = identical.hold(key);
        return reserve(state, clientId, true).then((reservation) => {
          attempt.reservation = reservation;
        });
      };
      const checked = runStrategy(state, credentials, attempt, gate);
      if (checked === undefined) return undefined;
      return checked.then(
        () => settle?.({ failed: false }),
        (error: unknown) => {
          settle?.({ failed: true, error });
          throw error;
        },
      );
    }
    const key = sameAttempt();
    const running = identical.current(key);
    if (running !== undefined) return running.then(() => authenticateClientStep(state));
    return identical.run(key, () =>
      reserve(state, clientId, true).then((reservation) => {
        attempt.reservation = reservation;
        return runStrategy(state, credentials, attempt, undefined);
      }),
    );
  };
}

// An adapter that cannot tell the address (a closed socket) still gets one counter, shared by all such requests.
function requester(state: RequestState): string {
  return state.request.ip ?? 'unknown';
}
