import { knownKeys, optionalObject, positiveInteger } from '../core/validate-option';
import type { RateLimiter, RateLimitResult } from '../store/rate-limiter';
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
 * - per client id and address (`maxFailures`, then a lock that doubles with each lock in a day): one
 *   address guessing one client's secret;
 * - per client id (`clientMaxFailures`), from addresses the client has not authenticated from within
 *   `knownAddressSeconds`: a guess spread over many addresses. While it is spent, the client's own known
 *   addresses still get in.
 *
 * An attempt reserves a point on each counter, atomically per counter, before any secret is checked; a success
 * gives the points back. Of N concurrent attempts, therefore, no more than the budget are ever checked, on
 * every instance sharing the store. Unknown ids are counted exactly like real ones, so a refusal tells
 * nothing about which ids exist.
 */
export class ClientLockout {
  private readonly address: RateLimiter;
  private readonly pair: RateLimiter;
  private readonly client: RateLimiter;
  private readonly locks: RateLimiter;
  private readonly known: RateLimiter;
  private readonly recent: RecentSuccesses;

  constructor(
    store: Store,
    private readonly settings: LockoutSettings,
  ) {
    const window = settings.windowSeconds;
    this.address = store.createRateLimiter({ name: 'lockout:address', points: settings.addressMaxFailures, durationSeconds: window });
    this.pair = store.createRateLimiter({ name: 'lockout:pair', points: settings.maxFailures, durationSeconds: window });
    this.client = store.createRateLimiter({ name: 'lockout:client', points: settings.clientMaxFailures, durationSeconds: window });
    this.locks = store.createRateLimiter({ name: 'lockout:locks', points: Number.MAX_SAFE_INTEGER, durationSeconds: DAY });
    // A marker per client and address: `block` sets it, with its time to live renewed by each success.
    this.known = store.createRateLimiter({ name: 'lockout:known', points: 1, durationSeconds: settings.knownAddressSeconds });
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
   * Reserves one attempt for `ip` naming `clientId` (one round trip: the counters are consumed together).
   * `checksSecret` charges the client's own budget too; a request that presents no secret guesses nothing.
   * A refused reservation gives back every point it took.
   */
  async reserve(clientId: string | undefined, ip: string, checksSecret: boolean): Promise<Admission> {
    const pair = clientId === undefined ? undefined : pairKey(clientId, ip);
    const chargeClient = checksSecret && clientId !== undefined;
    const [address, pairResult, client, known] = await Promise.all([
      this.address.consume(ip),
      pair === undefined ? undefined : this.pair.consume(pair),
      chargeClient ? this.client.consume(clientId) : undefined,
      chargeClient && pair !== undefined ? this.known.get(pair) : undefined,
    ]);
    // A client's known address is let try past the address's and the client's budgets: its own pair budget
    // still bounds the guesses made there, and an unknown id (the decoy hash) is never known.
    const isKnown = known !== undefined && known.msBeforeNext > 0;
    const refusals: Array<{ key: string; result: RateLimitResult }> = [];
    if (!address.allowed && !isKnown) refusals.push({ key: `ip:${ip}`, result: address });
    if (pairResult !== undefined && !pairResult.allowed) refusals.push({ key: `client:${clientId as string}`, result: pairResult });
    if (client !== undefined && !client.allowed && !isKnown) refusals.push({ key: `client:${clientId as string}`, result: client });
    if (refusals.length === 0) {
      return { admitted: true, reservation: { ip, clientId, pairConsumed: pairResult?.consumed ?? 0, chargedClient: chargeClient } };
    }
    await Promise.all([this.address.release(ip), pair === undefined ? undefined : this.pair.release(pair), chargeClient ? this.client.release(clientId) : undefined]);
    const longest = refusals.reduce((a, b) => (b.result.msBeforeNext > a.result.msBeforeNext ? b : a));
    return { admitted: false, key: longest.key, retryAfterSeconds: Math.max(1, Math.ceil(longest.result.msBeforeNext / 1000)) };
  }

  /**
   * The reserved attempt succeeded: its points go back, the pair's failures are forgotten and the address
   * becomes one the client is known at (one round trip).
   */
  async succeeded(reservation: Reservation): Promise<void> {
    const { ip, clientId } = reservation;
    if (clientId === undefined) return;
    const pair = pairKey(clientId, ip);
    await Promise.all([
      this.address.release(ip),
      reservation.chargedClient ? this.client.release(clientId) : undefined,
      this.pair.reset(pair),
      this.known.block(pair, this.settings.knownAddressSeconds),
    ]);
    this.recent.add(pair);
  }

  /** The reserved attempt failed: its points stay spent, and the one that fills the pair's budget locks it. */
  async failed(reservation: Reservation): Promise<void> {
    const { clientId, ip } = reservation;
    if (clientId === undefined || reservation.pairConsumed < this.settings.maxFailures) return;
    const pair = pairKey(clientId, ip);
    const { consumed: lockNumber } = await this.locks.consume(pair);
    const seconds = Math.min(this.settings.maxSeconds, this.settings.baseSeconds * 2 ** Math.min(30, lockNumber - 1));
    await this.pair.block(pair, seconds);
  }
}

// An address holds no `|` (IPv4, IPv6 and their mapped forms), so no two pairs share a key.
function pairKey(clientId: string, ip: string): string {
  return `${ip}|${clientId}`;
}
