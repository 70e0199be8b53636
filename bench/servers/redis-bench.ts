// Redis plumbing shared by the benchmark servers that run Keyturn on Redis (scenarios 2, 3, 4 and 5): a client at
// REDIS_URL (default 127.0.0.1:6379) under the process's own key prefix (never FLUSH: the Redis is shared), counters of what the
// store sends, INFO commandstats, seeding by pipeline in the exact format lib/store/redis-store.ts writes, and
// deletion of every key under the prefix when the server stops.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { redisStore } from '../../lib/redis';
import type { Store } from '../../lib/store/store';

/**
 * Every key this process writes starts with this; nothing else is ever deleted. Several processes that must be
 * one server (the soak's two instances) get one prefix from their harness in BENCH_KEY_PREFIX.
 */
export const BENCH_PREFIX = process.env.BENCH_KEY_PREFIX ?? `keyturn-bench:${process.pid}:`;

/** REDIS_URL as CI sets it, else the local Redis at 127.0.0.1:6379. */
export function benchRedis(): Redis {
  return new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
}

/** Counters exposed on the stats route; the harness reads them before and after each measured round. */
export type Counters = Record<string, number>;

/**
 * Counts, in this process, every command the store's client sends (`commands`, `cmd_<name>`) and the round trips
 * they cost (`roundTrips`). A round trip is counted per store operation that sent at least one command
 * synchronously (commands sent in the same synchronous call are written to the socket together and awaited
 * together: one round trip however many there are, e.g. saveAccessToken's SET and family-tracking EVALSHA); a
 * command sent later, after an await (a NOSCRIPT fallback, a DEL after a revoked family), counts as one more.
 * Also counts calls per store operation (`op_<name>`), their round trips (`rt_<name>`) and successful rotations
 * (`rotated`).
 */
export function instrument(client: Redis, store: Store, counters: Counters): void {
  let window: { sent: number } | undefined;
  const bump = (key: string, by = 1) => {
    counters[key] = (counters[key] ?? 0) + by;
  };
  const send = client.sendCommand.bind(client) as (command: { name: string }, stream?: unknown) => unknown;
  (client as unknown as { sendCommand: typeof send }).sendCommand = (command, stream) => {
    bump('commands');
    bump(`cmd_${command.name}`);
    if (window !== undefined) window.sent++;
    else bump('roundTrips');
    return send(command, stream);
  };
  const ops = [
    'rotateRefreshToken', 'saveAccessToken', 'findAccessToken', 'revokeAccessToken', 'saveRefreshToken', 'findRefreshToken', 'revokeFamily',
    // A bearer check of a JWT reads the revoked-jti list; the key ring reads (and, when a key is due, writes) its ring.
    'isJwtIdRevoked', 'revokeJwtId', 'loadKeyRing', 'saveKeyRing',
    // A client assertion's (or DPoP proof's) jti, used once.
    'useOnce',
  ] as const;
  for (const op of ops) {
    const original = (store[op] as (...args: unknown[]) => Promise<unknown>).bind(store);
    (store as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
      const outer = window;
      const inner = { sent: 0 };
      window = inner;
      let result: Promise<unknown>;
      try {
        result = original(...args);
      } finally {
        window = outer;
        bump(`op_${op}`);
        if (inner.sent > 0) {
          bump('roundTrips');
          bump(`rt_${op}`);
        }
      }
      if (op !== 'rotateRefreshToken') return result;
      return result.then((r) => {
        if ((r as { status?: string }).status === 'rotated') bump('rotated');
        return r;
      });
    };
  }
}

/**
 * A counted Redis store for a server whose counters are read per request (scenarios 2 and 4): `redisStore` under
 * this process's prefix, {@link instrument}ed, and what its `/__bench/stats` route answers (the counters and
 * `INFO commandstats`, read on a second client so the reads are not counted). The server counts `requests` itself.
 */
export function countedRedisStore(): { store: Store; counters: Counters; stats: () => Promise<Counters>; onStop: () => Promise<void> } {
  const client = benchRedis();
  const statsClient = benchRedis();
  const store = redisStore(client, { keyPrefix: BENCH_PREFIX });
  const counters: Counters = {};
  instrument(client, store, counters);
  return {
    store,
    counters,
    stats: async () => ({ ...counters, ...(await commandStats(statsClient)) }),
    onStop: async () => {
      const deleted = await deleteBenchKeys(statsClient);
      console.error(`deleted ${deleted} keys under ${BENCH_PREFIX}`);
      await Promise.all([client.quit(), statsClient.quit()]);
    },
  };
}

/** `INFO commandstats` as `redis_<command>: calls` (Redis-wide: other clients' commands are in it too). */
export async function commandStats(client: Redis): Promise<Counters> {
  const info = await client.info('commandstats');
  const out: Counters = {};
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const calls = Number(match[2]);
    out[`redis_${match[1]}`] = calls;
    // The INFO reads themselves are not the store's work.
    if (match[1] !== 'info') total += calls;
  }
  out.redis_total = total;
  return out;
}

/**
 * Writes `count` live refresh token families, each a `P {F}:rf` hash with the fields the SAVE_REFRESH_TOKEN script
 * writes (c, s, sc, cur, ia, ex) and its TTL: what `saveRefreshToken` leaves behind, by pipeline.
 */
export async function seedFamilies(client: Redis, count: number, clientId: string, scope: readonly string[], ttlSeconds: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const sc = JSON.stringify(scope);
  await inBatches(count, (pipeline) => {
    const family = randomBytes(32).toString('base64url');
    const key = `${BENCH_PREFIX}{${family}}:rf`;
    pipeline.hset(key, 'c', clientId, 's', clientId, 'sc', sc, 'cur', randomBytes(32).toString('base64url'), 'ia', now, 'ex', now + ttlSeconds);
    pipeline.pexpire(key, ttlSeconds * 1000);
  }, client);
}

/** Writes `count` live opaque access tokens, `P at:H` = the record's JSON with PX, as `saveAccessToken` does. */
export async function seedAccessTokens(client: Redis, count: number, clientId: string, scope: readonly string[], ttlSeconds: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await inBatches(count, (pipeline) => {
    const record = { clientId, sub: clientId, scope, issuedAt: now, expiresAt: now + ttlSeconds };
    pipeline.set(`${BENCH_PREFIX}at:${randomBytes(32).toString('base64url')}`, JSON.stringify(record), 'PX', ttlSeconds * 1000);
  }, client);
}

async function inBatches(count: number, add: (pipeline: ReturnType<Redis['pipeline']>) => void, client: Redis): Promise<void> {
  const batch = 5000;
  for (let done = 0; done < count; done += batch) {
    const pipeline = client.pipeline();
    for (let i = done; i < Math.min(count, done + batch); i++) add(pipeline);
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err !== null);
    if (failed) throw failed[0];
  }
}

/** Deletes every key under this process's prefix, or `prefix` (SCAN MATCH prefix* + UNLINK); returns how many. */
export async function deleteBenchKeys(client: Redis, prefix: string = BENCH_PREFIX): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** How many live tokens to seed: the env value, or at most 2000 in a smoke run. */
export function seedCount(name: string): number {
  const n = Number(process.env[name] ?? 0);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return process.env.BENCH_SMOKE === '1' ? Math.min(n, 2000) : n;
}

/**
 * Round trips of the refresh requests alone: all round trips less those of the requests that open a family (a
 * client_credentials request: one saveRefreshToken and, with opaque access tokens, one saveAccessToken).
 * saveRefreshToken runs only in openings, so openings are counted by it; any saveAccessToken beyond one per opening
 * belongs to a refresh and stays in the figure.
 */
export function refreshRoundTrips(counters: Counters): number {
  const openings = counters.rt_saveRefreshToken ?? 0;
  return (counters.roundTrips ?? 0) - openings - Math.min(counters.rt_saveAccessToken ?? 0, openings);
}
