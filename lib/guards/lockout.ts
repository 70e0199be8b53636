import { knownKeys, optionalObject, positiveInteger } from '../core/validate-option';
import type { RateLimiter, RateLimiterSettings, RateLimitResult } from '../store/rate-limiter';
import type { Store } from '../store/store';
import { RecentSuccesses } from './recent-successes';

/** The lockout's settings, every default filled in. */
export interface LockoutSettings {
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
  readonly clientMaxFailures: number;
  readonly addressMaxFailures: number;
  readonly knownAddressSeconds: number;
}

/**
 * Checks the `lockout` option once, at start-up, and fills in its defaults (documented on `LockoutOptions`).
 * RFC 6749 §2.3.1 requires brute-force protection, so it is on unless the option is `false`.
 */
export function resolveLockoutSettings(value: unknown): LockoutSettings | undefined {
  if (value === false) return undefined;
  const options = (value === undefined ? {} : optionalObject(value as object, 'options.lockout')) as Record<string, unknown>;
  knownKeys(
    options,
    { maxFailures: true, windowSeconds: true, baseSeconds: true, maxSeconds: true, clientMaxFailures: true, addressMaxFailures: true, knownAddressSeconds: true },
    'options.lockout',
  );
  return {
    maxFailures: positiveInteger(options.maxFailures, 'options.lockout.maxFailures') ?? 5,
    windowSeconds: positiveInteger(options.windowSeconds, 'options.lockout.windowSeconds') ?? 900,
    baseSeconds: positiveInteger(options.baseSeconds, 'options.lockout.baseSeconds') ?? 30,
    maxSeconds: positiveInteger(options.maxSeconds, 'options.lockout.maxSeconds') ?? 3600,
    clientMaxFailures: positiveInteger(options.clientMaxFailures, 'options.lockout.clientMaxFailures') ?? 50,
    addressMaxFailures: positiveInteger(options.addressMaxFailures, 'options.lockout.addressMaxFailures') ?? 50,
    knownAddressSeconds: positiveInteger(options.knownAddressSeconds, 'options.lockout.knownAddressSeconds') ?? 30 * 86_400,
  };
}

/** Points held for one attempt while its credentials are checked. */
export interface Reservation {
  readonly ip: string;
  readonly clientId: string | undefined;
  /** Points consumed on the pair counter when reserved: the attempt that reaches `maxFailures` locks. */
  readonly pairConsumed: number;
  /** Whether the client's own budget was charged (only for a secret that is checked). */
  readonly chargedClient: boolean;
}

/** A reservation, or why none could be made and for how long. */
export type Admission =
  | { readonly admitted: true; readonly reservation: Reservation }
  | { readonly admitted: false; readonly key: string; readonly retryAfterSeconds: number };

const DAY = 86_400;

/**
 * Bounds how many wrong client credentials are ever checked, keyed on who asks as well as on whom they name,
 * so that the guard cannot be turned against the client it protects:
 * - per requester address, across every client id it names (`addressMaxFailures`): random ids and floods
 *   spend the stranger's own budget, and the decoy hash of an unknown id sits behind it;
 * - per client id and address (`maxFailures`), with a lock that doubles with each lock in a day and may
 *   outlast the window: one address guessing one client's secret;
 * - per client id, from addresses it has not authenticated from within `knownAddressSeconds`:
 *   `clientMaxFailures` within `windowSeconds`, which bounds a guess spread over many addresses.
 *
 * A client's known addresses (where it authenticated within `knownAddressSeconds`) are let try past the
 * address and client budgets, so neither a distributed guess nor a neighbour behind the same address can
 * shut it out; the pair budget still bounds the guesses made there.
 *
 * An attempt reserves a point on each counter, atomically per counter, before any secret is checked; a success
 * gives the points back. Of N concurrent attempts, therefore, no more than the budget are ever checked, on
 * every instance sharing the store. The address is reserved first, so a spent address creates no other
 * counter: a flood from it cannot fill the store. Unknown ids are counted exactly like real ones, so a refusal
 * tells nothing about which ids exist.
 */
export class ClientLockout {
  private readonly address: RateLimiter;
  private readonly pair: RateLimiter;
  private readonly client: RateLimiter;
  private readonly locks: RateLimiter;
  private readonly lock: RateLimiter;
  private readonly known: RateLimiter;
  private readonly recent: RecentSuccesses;

  constructor(
    store: Store,
    private readonly settings: LockoutSettings,
  ) {
    const window = settings.windowSeconds;
    this.address = limiter(store, { name: 'lockout:address', points: settings.addressMaxFailures, durationSeconds: window });
    this.pair = limiter(store, { name: 'lockout:pair', points: settings.maxFailures, durationSeconds: window });
    this.client = limiter(store, { name: 'lockout:client', points: settings.clientMaxFailures, durationSeconds: window });
    // How many times a pair was locked in the last day, and the lock itself: kept apart from the pair's
    // counter, so a lock never replaces the window that counts its failures, and no release can shorten it.
    this.locks = limiter(store, { name: 'lockout:locks', points: Number.MAX_SAFE_INTEGER, durationSeconds: DAY });
    this.lock = limiter(store, { name: 'lockout:lock', points: 1, durationSeconds: settings.maxSeconds });
    // A marker per client and address: `block` sets it, with its time to live renewed by each success.
    this.known = limiter(store, { name: 'lockout:known', points: 1, durationSeconds: settings.knownAddressSeconds });
    this.recent = new RecentSuccesses();
  }

  /**
   * True when this instance saw the client authenticate from this address a short while ago. A secret this
   * process already verified may then pass without a reservation; any other check still makes one.
   */
  recentlySucceeded(clientId: string, ip: string): boolean {
    return this.recent.has(pairKey(clientId, ip));
  }

  /**
   * Ends that shortcut for the pair once it presents a secret this process does not recognise, until its next
   * reserved success: a stranger sharing the client's address cannot then tell a right guess (let through
   * unreserved) from a wrong one (refused while the pair is locked).
   */
  distrust(clientId: string, ip: string): void {
    this.recent.delete(pairKey(clientId, ip));
  }

  /**
   * Reserves one attempt for `ip` naming `clientId`, in two round trips: the address (with the pair's lock and
   * whether the address is known), then the pair and the client. `checksSecret` charges the client's own
   * budget too; a request that presents no secret guesses nothing. A refused reservation, or one a store
   * error interrupts, gives back every point it took.
   */
  async reserve(clientId: string | undefined, ip: string, checksSecret: boolean): Promise<Admission> {
    const pair = clientId === undefined ? undefined : pairKey(clientId, ip);
    const chargeClient = checksSecret && clientId !== undefined;
    const taken: Array<() => Promise<void>> = [];
    const take = async (counter: RateLimiter, key: string): Promise<RateLimitResult> => {
      const result = await counter.consume(key);
      taken.push(() => counter.release(key));
      return result;
    };
    try {
      const [address, lock, known] = await Promise.all([
        take(this.address, ip),
        pair === undefined ? undefined : this.lock.get(pair),
        chargeClient && pair !== undefined ? this.known.get(pair) : undefined,
      ]);
      // A client's known address is let try past the address's and the client's budgets: its own pair budget
      // still bounds the guesses made there, and an unknown id (the decoy hash) is never known.
      const isKnown = known !== undefined && known.msBeforeNext > 0;
      if (lock !== undefined && lock.msBeforeNext > 0) return await refuse(taken, `client:${clientId as string}`, lock.msBeforeNext);
      if (!address.allowed && !isKnown) return await refuse(taken, `ip:${ip}`, address.msBeforeNext);
      const [pairResult, client] = await Promise.all([
        pair === undefined ? undefined : take(this.pair, pair),
        chargeClient ? take(this.client, clientId) : undefined,
      ]);
      if (pairResult !== undefined && !pairResult.allowed) return await refuse(taken, `client:${clientId as string}`, pairResult.msBeforeNext);
      if (client !== undefined && !client.allowed && !isKnown) return await refuse(taken, `client:${clientId as string}`, client.msBeforeNext);
      return { admitted: true, reservation: { ip, clientId, pairConsumed: pairResult?.consumed ?? 0, chargedClient: chargeClient } };
    } catch (err) {
      await giveBack(taken);
      throw err;
    }
  }

  /**
   * The reserved attempt succeeded: its points go back and the address becomes one the client is known at
   * (one round trip). The pair's earlier failures stay counted until their window ends: were a success to clear
   * them, whoever shares the client's address could guess again after each of the client's successes there.
   */
  async succeeded(reservation: Reservation): Promise<void> {
    const { ip, clientId } = reservation;
    if (clientId === undefined) return;
    const pair = pairKey(clientId, ip);
    await Promise.all([
      this.address.release(ip),
      reservation.chargedClient ? this.client.release(clientId) : undefined,
      this.pair.release(pair),
      this.known.block(pair, this.settings.knownAddressSeconds),
    ]);
    this.recent.add(pair);
  }

  /**
   * The reserved attempt ended before its credentials were judged (a store or app error, a request refused
   * for another reason): every point goes back, as far as the store lets it, so an outage or a faulty
   * `findClient` never spends a client's budget.
   */
  async abandon(reservation: Reservation): Promise<void> {
    const { ip, clientId } = reservation;
    const pair = clientId === undefined ? undefined : pairKey(clientId, ip);
    await giveBack([
      () => this.address.release(ip),
      ...(pair === undefined ? [] : [() => this.pair.release(pair)]),
      ...(reservation.chargedClient && clientId !== undefined ? [() => this.client.release(clientId)] : []),
    ]);
  }

  /**
   * The reserved attempt failed: its points stay spent, and the one that fills the pair's budget locks the
   * pair, for a time that doubles with each lock in a day (two round trips).
   */
  async failed(reservation: Reservation): Promise<void> {
    const { clientId, ip } = reservation;
    if (clientId === undefined || reservation.pairConsumed < this.settings.maxFailures) return;
    const pair = pairKey(clientId, ip);
    const { consumed: lockNumber } = await this.locks.consume(pair);
    const seconds = Math.min(this.settings.maxSeconds, this.settings.baseSeconds * 2 ** Math.min(30, lockNumber - 1));
    await this.lock.block(pair, seconds);
  }
}

async function refuse(taken: ReadonlyArray<() => Promise<void>>, key: string, msBeforeNext: number): Promise<Admission> {
  await giveBack(taken);
  return { admitted: false, key, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

// Best effort: during an outage a release may fail too, and the error that ended the attempt is the one to report.
async function giveBack(releases: ReadonlyArray<() => Promise<void>>): Promise<void> {
  await Promise.allSettled(releases.map((release) => release()));
}

// A store passed in from JavaScript may predate `RateLimiter.release`: say so at start-up, not at the first success.
function limiter(store: Store, settings: RateLimiterSettings): RateLimiter {
  const created = store.createRateLimiter(settings);
  if (typeof (created as Partial<RateLimiter>).release !== 'function') {
    throw new TypeError(`options.lockout: the store's rate limiters have no release(key), which the lockout needs (store.createRateLimiter({ name: '${settings.name}' }))`);
  }
  return created;
}

// An address holds no `|` (IPv4, IPv6 and their mapped forms), so no two pairs share a key.
function pairKey(clientId: string, ip: string): string {
  return `${ip}|${clientId}`;
}
