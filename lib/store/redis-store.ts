import { createHash } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { fromRateLimiterFlexible, type RateLimiter, type RateLimiterSettings } from './rate-limiter';
import { RedisCommandGuard, type RedisClient } from './redis-command-guard';
import { sendCommandsAtMostOnce } from './redis-send-once';
import { CONSUME_AUTHORIZATION_CODE, REVOKE_FAMILY, ROTATE_REFRESH_TOKEN, SAVE_FAMILY_ACCESS_TOKEN, SAVE_KEY_RING, SAVE_REFRESH_TOKEN, RELEASE_POINT } from './redis-scripts';
import type {
  KeyRingRecord,
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ConsentRecord,
  ConsumedAuthorizationCode,
  RefreshTokenRecord,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  Store,
} from './store';

export type { RedisClient } from './redis-command-guard';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * ```ts
 * import { redisStore } from 'keyturn/redis';
 *
 * redisStore(redis, { keyPrefix: 'keyturn:', commandTimeoutMs: 1000 });
 * ```
 */
export interface RedisStoreOptions {
  /**
   * Prepended to every key, e.g. `"keyturn:"`, so Keyturn's keys are easy to find and cannot collide with
   * the app's. Required; must not contain `{` or `}` (they would change the Cluster hash slot of the keys).
   */
  keyPrefix: string;
  /**
   * Longest wait for Redis, in milliseconds, per store operation (including waiting for the connection at
   * start-up). Past it the operation fails with {@link "keyturn/errors"!StoreUnavailableError} and the endpoint answers 503.
   * Default: 2000.
   */
  commandTimeoutMs?: number;
}

/** One Lua script: its source and SHA-1, computed once so the hot path only sends EVALSHA. */
interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const ROTATE = script(ROTATE_REFRESH_TOKEN);
const SAVE = script(SAVE_REFRESH_TOKEN);
const REVOKE = script(REVOKE_FAMILY);
const SAVE_FAMILY_ACCESS = script(SAVE_FAMILY_ACCESS_TOKEN);
const CONSUME_CODE = script(CONSUME_AUTHORIZATION_CODE);
const SAVE_RING = script(SAVE_KEY_RING);
const RELEASE = script(RELEASE_POINT);

/**
 * How long a revoked family is remembered at least, so tokens saved for it afterwards are refused and its
 * JWT access tokens are refused until they expire (the server asks for longer when its JWTs outlive a day).
 */
const REVOKED_FAMILY_MS = 24 * 3600 * 1000;

/** How long a family revocation is kept: a day, or `retainSeconds` when that is longer. */
function revokedFamilyMs(retainSeconds: number | undefined): number {
  return Math.max(REVOKED_FAMILY_MS, (retainSeconds ?? 0) * 1000);
}

const NOT_FOUND: RotateRefreshTokenResult = Object.freeze({ status: 'not_found' });
const REUSED: RotateRefreshTokenResult = Object.freeze({ status: 'reused' });
const WRONG_CLIENT: RotateRefreshTokenResult = Object.freeze({ status: 'wrong_client' });
const WRONG_KEY: RotateRefreshTokenResult = Object.freeze({ status: 'wrong_key' });
const INVALID_SCOPE: RotateRefreshTokenResult = Object.freeze({ status: 'invalid_scope' });
const INVALID_TARGET: RotateRefreshTokenResult = Object.freeze({ status: 'invalid_target' });

/**
 * The Redis {@link Store}, on ioredis. See {@link redisStore}.
 *
 * Keys (`P` is the prefix, `F` a family id, `H` a token hash; values never hold a token):
 * - `P at:H`: an opaque access token's record, JSON, expiring with the token, when it has no family;
 * - `P {F}:at:H`: the same for an access token of family F (such tokens carry the family's seed);
 * - `P {F}:rf`: a refresh token family (client, sub, scope, live token hash; with a grace window, the token it
 *   was rotated from and when), expiring with the live token;
 * - `P {F}:rt:H`: tombstone of a rotated refresh token, expiring when that token would have;
 * - `P {F}:at`: hashes of the family's access tokens, for revocation;
 * - `P {F}:rv`: marker of a revoked family, for a day (or longer, as the server asks), so its later tokens
 *   are refused, and its JWT access tokens with them;
 * - `P code:H`: an authorization code's record (state byte + JSON), until it expires or, once used, a day;
 * - `P consent:K`: a remembered consent, K the SHA-256 of client id and subject;
 * - `P jti:J`: a revoked JWT access token id, until the token's own expiry;
 * - `P {F}:jti:J`: the same for a JWT of family F (its `fid` claim), beside the family's marker;
 * - `P once:N:I`: a one-time value I of namespace N (a DPoP proof's or client assertion's `jti`), while it could be replayed.
 * The `{F}` hash tag puts a family's keys on one Cluster slot, so one script can change them all atomically.
 *
 * Apps get it, typed as `Store`, from {@link redisStore}; the class itself is not part of the package's API.
 *
 * @example
 * ```ts
 * const store: Store = new RedisStore(new Redis(process.env.REDIS_URL!), { keyPrefix: 'keyturn:' }); // what redisStore() does
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export class RedisStore implements Store {
  private readonly prefix: string;
  private readonly guard: RedisCommandGuard;
  private readonly stopConfiguringNodes: () => void;

  constructor(
    private readonly client: RedisClient,
    options: RedisStoreOptions,
  ) {
    if (typeof client !== 'object' || client === null || typeof (client as { evalsha?: unknown }).evalsha !== 'function') {
      throw new TypeError('redisStore: the first argument must be an ioredis Redis or Cluster client');
    }
    const { keyPrefix, commandTimeoutMs = 2000 } = options ?? ({} as RedisStoreOptions);
    if (typeof keyPrefix !== 'string' || keyPrefix === '' || /[{}]/.test(keyPrefix)) {
      throw new TypeError('redisStore: options.keyPrefix must be a non-empty string without "{" or "}"');
    }
    if (!Number.isInteger(commandTimeoutMs) || commandTimeoutMs <= 0) {
      throw new TypeError(`redisStore: options.commandTimeoutMs must be a positive integer (got ${JSON.stringify(commandTimeoutMs)})`);
    }
    this.prefix = keyPrefix;
    this.stopConfiguringNodes = sendCommandsAtMostOnce(client);
    this.guard = new RedisCommandGuard(client, commandTimeoutMs);
  }

  async saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    const ttlMs = ttlSeconds * 1000;
    const { familyId } = record;
    await this.guard.run(() =>
      familyId === undefined
        ? this.client.set(this.accessKey(tokenHash), JSON.stringify(record), 'PX', ttlMs)
        : this.eval(
            SAVE_FAMILY_ACCESS,
            [this.familyKey(familyId, `at:${tokenHash}`), this.familyKey(familyId, 'at'), this.familyKey(familyId, 'rv')],
            [tokenHash, JSON.stringify(record), ttlMs],
          ),
    );
  }

  async findAccessToken(tokenHash: string, familyId?: string): Promise<AccessTokenRecord | undefined> {
    const value = await this.guard.run(() => this.client.get(this.accessKey(tokenHash, familyId)));
    return value === null ? undefined : (JSON.parse(value) as AccessTokenRecord);
  }

  async revokeAccessToken(tokenHash: string, familyId?: string): Promise<void> {
    await this.guard.run(() => this.client.del(this.accessKey(tokenHash, familyId)));
  }

  async revokeJwtId(jti: string, ttlSeconds: number, familyId?: string): Promise<void> {
    await this.guard.run(() => this.client.set(this.jtiKey(jti, familyId), '1', 'PX', ttlSeconds * 1000));
  }

  /**
   * One EXISTS, one round trip: for a JWT of a family it counts the revoked `jti` and the family's revoked
   * marker together, which share the family's hash tag and so one Cluster slot.
   */
  async isJwtIdRevoked(jti: string, familyId?: string): Promise<boolean> {
    const count = await this.guard.run(() =>
      familyId === undefined ? this.client.exists(this.jtiKey(jti)) : this.client.exists(this.jtiKey(jti, familyId), this.familyKey(familyId, 'rv')),
    );
    return count > 0;
  }

  /**
   * A rate-limiter-flexible Redis limiter under this store's prefix: one atomic call per operation, shared
   * by every instance on this Redis, and run through the same guard, so a Redis outage is a 503 here too.
   */
  createRateLimiter(settings: RateLimiterSettings): RateLimiter {
    const limiter = fromRateLimiterFlexible(
      new RateLimiterRedis({
        storeClient: this.client,
        keyPrefix: `${this.prefix}${settings.name}`,
        points: settings.points,
        duration: settings.durationSeconds,
        // Never queue while disconnected, for the same reason as every other command here.
        rejectIfRedisNotReady: true,
      }),
      async (limiterKey) => {
        await this.eval(RELEASE, [limiterKey], []);
      },
    );
    return {
      consume: (key) => this.guard.run(() => limiter.consume(key)),
      get: (key) => this.guard.run(() => limiter.get(key)),
      block: (key, seconds) => this.guard.run(() => limiter.block(key, seconds)),
      reset: (key) => this.guard.run(() => limiter.reset(key)),
      release: (key) => this.guard.run(() => limiter.release(key)),
    };
  }

  async saveRefreshToken(tokenHash: string, record: RefreshTokenRecord, ttlSeconds: number): Promise<void> {
    await this.guard.run(() =>
      this.eval(
        SAVE,
        [this.familyKey(record.familyId, 'rf'), this.familyKey(record.familyId, 'rv')],
        [
          record.clientId,
          record.sub,
          JSON.stringify(record.scope),
          record.familyExpiresAt === undefined ? '' : record.familyExpiresAt,
          tokenHash,
          record.issuedAt,
          record.expiresAt,
          ttlSeconds * 1000,
          record.authTime === undefined ? '' : record.authTime,
          record.jkt ?? '',
          record.audience === undefined || record.audience.length === 0 ? '' : JSON.stringify(record.audience),
        ],
      ),
    );
  }

  async findRefreshToken(familyId: string, tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const [c, s, sc, fx, cur, ia, ex, at, jk, au] = await this.guard.run(() =>
      this.client.hmget(this.familyKey(familyId, 'rf'), 'c', 's', 'sc', 'fx', 'cur', 'ia', 'ex', 'at', 'jk', 'au'),
    );
    if (c == null || s == null || sc == null || ia == null || ex == null || cur !== tokenHash) return undefined;
    return toRecord(familyId, c, s, sc, fx ?? '', ia, ex, at ?? '', jk ?? '', au ?? '');
  }

  async rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    // One round trip: the checks (live, client, scope), the change and the new access token, in one script;
    // on reuse, the family's whole revocation, the marker that refuses its JWTs included.
    const { familyId, accessToken, jwtAccessToken } = input;
    const keys = [
      this.familyKey(familyId, 'rf'),
      this.familyKey(familyId, `rt:${input.tokenHash}`),
      this.familyKey(familyId, 'at'),
      this.familyKey(familyId, 'rv'),
    ];
    const args: Array<string | number> = [
      input.tokenHash,
      input.clientId,
      input.scope === undefined ? '' : JSON.stringify(input.scope),
      input.newTokenHash,
      input.now,
      input.ttl,
      input.reuseGraceSeconds ?? 0,
      revokedFamilyMs(input.revokedFamilyRetainSeconds),
      jwtAccessToken?.jti ?? '',
      jwtAccessToken?.ttl ?? '',
    ];
    if (accessToken !== undefined) {
      keys.push(this.familyKey(familyId, `at:${accessToken.tokenHash}`));
      args.push(accessToken.tokenHash, accessToken.ttl, JSON.stringify(accessToken.allowedScope), familyId);
    } else {
      args.push('', '', '', '');
    }
    args.push(input.jkt ?? '', accessToken?.jkt ?? '');
    args.push(input.resource === undefined ? '' : JSON.stringify(input.resource), input.allowedResources === undefined ? '' : JSON.stringify(input.allowedResources));
    args.push(input.bindKey === true ? '1' : '');
    const reply = (await this.guard.run(() => this.eval(ROTATE, keys, args))) as string[];
    switch (reply[0]) {
      case 'rotated':
      case 'reissued': {
        const [status, c, s, sc, fx, ia, ex, at, jk, au] = reply as ['rotated' | 'reissued', string, string, string, string, string, string, string | undefined, string | undefined, string | undefined];
        return { status, record: toRecord(familyId, c, s, sc, fx, ia, ex, at ?? '', jk ?? '', au ?? '') };
      }
      case 'reused':
        return REUSED;
      case 'wrong_client':
        return WRONG_CLIENT;
      case 'wrong_key':
        return WRONG_KEY;
      case 'invalid_scope':
        return INVALID_SCOPE;
      case 'invalid_target':
        return INVALID_TARGET;
      default:
        return NOT_FOUND;
    }
  }

  async revokeFamily(familyId: string, retainSeconds?: number): Promise<void> {
    const retainMs = revokedFamilyMs(retainSeconds);
    await this.guard.run(() =>
      this.eval(REVOKE, [this.familyKey(familyId, 'rf'), this.familyKey(familyId, 'at'), this.familyKey(familyId, 'rv')], [retainMs]),
    );
  }

  async saveAuthorizationCode(codeHash: string, record: AuthorizationCodeRecord, ttlSeconds: number): Promise<void> {
    await this.guard.run(() => this.client.set(this.codeKey(codeHash), `0${JSON.stringify(record)}`, 'PX', ttlSeconds * 1000));
  }

  async consumeAuthorizationCode(codeHash: string, retainUsedSeconds: number): Promise<ConsumedAuthorizationCode> {
    const reply = (await this.guard.run(() => this.eval(CONSUME_CODE, [this.codeKey(codeHash)], [retainUsedSeconds * 1000]))) as string[];
    if (reply[0] === 'consumed' || reply[0] === 'reused') {
      return { status: reply[0], record: JSON.parse(reply[1] as string) as AuthorizationCodeRecord };
    }
    return { status: 'unknown' };
  }

  async saveConsent(sub: string, clientId: string, record: ConsentRecord, ttlSeconds: number): Promise<void> {
    await this.guard.run(() => this.client.set(this.consentKey(sub, clientId), JSON.stringify(record), 'PX', ttlSeconds * 1000));
  }

  async findConsent(sub: string, clientId: string): Promise<ConsentRecord | undefined> {
    const value = await this.guard.run(() => this.client.get(this.consentKey(sub, clientId)));
    return value === null ? undefined : (JSON.parse(value) as ConsentRecord);
  }

  /** One `SET … NX PX`: the first writer alone gets OK, on every instance and Cluster node alike. */
  async useOnce(namespace: string, id: string, ttlSeconds: number): Promise<boolean> {
    const reply = await this.guard.run(() => this.client.set(`${this.prefix}once:${namespace}:${id}`, '1', 'PX', ttlSeconds * 1000, 'NX'));
    return reply === 'OK';
  }

  /** Every instance on this Redis reads and writes the same keys. */
  readonly shared = true;

  async loadKeyRing(): Promise<KeyRingRecord | undefined> {
    const value = await this.guard.run(() => this.client.hget(this.keyRingKey(), 'r'));
    return value === null ? undefined : (JSON.parse(value) as KeyRingRecord);
  }

  async saveKeyRing(next: KeyRingRecord, ttlSeconds: number): Promise<boolean> {
    const written = await this.guard.run(() => this.eval(SAVE_RING, [this.keyRingKey()], [next.version, JSON.stringify(next), ttlSeconds * 1000]));
    return written === 1;
  }

  /**
   * Stops listening to the client. The client is yours: quit it yourself (`await redis.quit()`), after
   * closing every server that uses it.
   */
  async close(): Promise<void> {
    this.guard.detach();
    this.stopConfiguringNodes();
  }

  // A family's access tokens live under its hash tag, so the family's scripts can write and revoke them.
  private accessKey(tokenHash: string, familyId?: string): string {
    return familyId === undefined ? `${this.prefix}at:${tokenHash}` : this.familyKey(familyId, `at:${tokenHash}`);
  }

  // A revoked jti of a family token sits under the family's hash tag, beside the family's revoked marker.
  private jtiKey(jti: string, familyId?: string): string {
    return familyId === undefined ? `${this.prefix}jti:${jti}` : this.familyKey(familyId, `jti:${jti}`);
  }

  private keyRingKey(): string {
    return `${this.prefix}keyring`;
  }

  private codeKey(codeHash: string): string {
    return `${this.prefix}code:${codeHash}`;
  }

  // Hashed so that arbitrary client ids and subjects make well-formed keys with no hash tag in them.
  private consentKey(sub: string, clientId: string): string {
    return `${this.prefix}consent:${createHash('sha256').update(clientId).update('\0').update(sub).digest('base64url')}`;
  }

  private familyKey(familyId: string, suffix: string): string {
    return `${this.prefix}{${familyId}}:${suffix}`;
  }

  /** EVALSHA, falling back to EVAL once per Redis node that has not seen the script (NOSCRIPT). */
  private async eval(s: Script, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await this.client.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as { message?: unknown } | null)?.message).startsWith('NOSCRIPT')) throw err;
      // EVAL also loads the script into the node's cache, so the next call's EVALSHA succeeds.
      return this.client.eval(s.source, keys.length, ...keys, ...args);
    }
  }
}

function toRecord(familyId: string, c: string, s: string, sc: string, fx: string, ia: string, ex: string, at: string, jk = '', au = ''): RefreshTokenRecord {
  return {
    clientId: c,
    sub: s,
    scope: JSON.parse(sc) as string[],
    familyId,
    issuedAt: Number(ia),
    expiresAt: Number(ex),
    ...(fx === '' ? {} : { familyExpiresAt: Number(fx) }),
    ...(at === '' ? {} : { authTime: Number(at) }),
    ...(jk === '' ? {} : { jkt: jk }),
    ...(au === '' ? {} : { audience: JSON.parse(au) as string[] }),
  };
}

/**
 * Creates the Redis {@link Store} on an ioredis client you built: a standalone `Redis` or a `Cluster`, with
 * no other change. Every key carries `keyPrefix` and a TTL; refresh token rotation is one Lua script (one
 * round trip, atomic across every app instance sharing the Redis); a family's keys share a hash tag so the
 * scripts run on Redis Cluster. Tokens are stored only as SHA-256 hashes.
 *
 * When Redis is down or slower than `commandTimeoutMs`, operations throw {@link "keyturn/errors"!StoreUnavailableError}
 * (rendered 503 `temporarily_unavailable`, `Retry-After`), and work again once ioredis reconnects.
 *
 * So that a request answered with 503 never takes effect later, the store makes the client send each
 * command at most once: it sets `autoResendUnfulfilledCommands: false` and `enableOfflineQueue: false` on a
 * standalone client; on a Cluster, `enableOfflineQueue: false`, `retryDelayOnFailover`,
 * `retryDelayOnClusterDown`, `retryDelayOnTryAgain` and `retryDelayOnMoved` to 0, and
 * `autoResendUnfulfilledCommands: false` on every node. Commands of your own on the same client then fail
 * at once while Redis is unreachable, instead of waiting; give them a client of their own
 * (`redis.duplicate()` before calling `redisStore`) if they should wait.
 *
 * Run Redis with `maxmemory-policy noeviction`. Some keys are revocations (revoked JWT ids, revoked
 * families), and an evicting policy could drop one before the token it revokes expires; every Keyturn key
 * has a TTL, so the `volatile-*` policies would pick them as well. Under `noeviction` a full Redis refuses
 * writes, and the store answers 503 instead of forgetting.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createAuthorizationServer } from 'keyturn';
 * import { redisStore } from 'keyturn/redis';
 *
 * const store = redisStore(new Redis(process.env.REDIS_URL!), { keyPrefix: 'keyturn:' });
 * // or: redisStore(new Cluster([{ host: '10.0.0.1', port: 6379 }]), { keyPrefix: 'keyturn:' })
 * const auth = createAuthorizationServer({ clients, store, grants: ['client_credentials', 'refresh_token'] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export function redisStore(client: RedisClient, options: RedisStoreOptions): Store {
  return new RedisStore(client, options);
}
