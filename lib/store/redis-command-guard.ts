import type { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors/store-unavailable-error';

/**
 * A standalone ioredis client or a Cluster: what {@link redisStore} runs on.
 *
 * @example
 * ```ts
 * import Redis, { Cluster } from 'ioredis';
 * import { redisStore, type RedisClient } from 'keyturn/redis';
 *
 * const nodes = (process.env.REDIS_CLUSTER ?? '').split(',').filter(Boolean).map((hostPort) => {
 *   const [host, port] = hostPort.split(':');
 *   return { host: host!, port: Number(port ?? 6379) };
 * });
 * const client: RedisClient = nodes.length > 0 ? new Cluster(nodes) : new Redis(process.env.REDIS_URL!);
 * const store = redisStore(client, { keyPrefix: 'keyturn:' });
 * ```
 */
export type RedisClient = Redis | Cluster;

// Reply errors that mean "Redis cannot serve now" rather than "the command is wrong": a replica promoted,
// a cluster slot moving, a dataset loading, a busy script, memory or persistence trouble.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|NOREPLICAS|MISCONF|OOM)\b/;

// Client states in which a command would wait in ioredis's offline queue: during start-up (and a lazy
// connect) it is worth waiting a little for the connection; when the connection was lost it is not.
const STARTING = new Set(['wait', 'connecting', 'connect']);

/**
 * The one place the Redis store meets failure. Every store operation runs through {@link RedisCommandGuard.run},
 * which
 * - bounds it by a deadline (the store's `commandTimeoutMs`), on standalone Redis and Cluster alike
 *   (ioredis's own `commandTimeout` does not cover a Cluster's queue or a command waiting to be sent);
 * - never leaves a command in ioredis's offline queue while Redis is down: a queued refresh sent after the
 *   client already got its 503 would rotate a token nobody holds, and the client's retry would then look
 *   like reuse and revoke the family. So a command is sent only on a ready connection (and the client is
 *   set to send each command at most once, see redis-send-once.ts, for what a ready connection cannot rule out);
 * - turns connection loss, timeouts and "not now" replies into {@link StoreUnavailableError}, which the error
 *   handler renders as 503; any other error (a bug) passes through unchanged and renders as 500;
 * - makes sure a late rejection of an abandoned command is handled, so nothing is reported as an
 *   unhandled rejection.
 */
export class RedisCommandGuard {
  private lastError: unknown;
  private readyWait: Promise<void> | undefined;
  private readonly onError = (err: unknown): void => {
    // Listening also stops ioredis from printing "Unhandled error event" on every reconnect attempt;
    // the error reaches the server's onError hook as the cause of the 503 instead.
    this.lastError = err;
  };
  private readonly onReady = (): void => {
    this.lastError = undefined;
  };

  constructor(
    private readonly client: RedisClient,
    private readonly timeoutMs: number,
  ) {
    client.on('error', this.onError);
    client.on('ready', this.onReady);
  }

  /** Runs `operation` once the connection is ready, within the deadline. */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(this.unavailable(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      if (this.client.status !== 'ready') await Promise.race([this.whenReady(), deadline]);
      const pending = operation();
      // If the deadline wins, the command may still fail later: that rejection is expected and handled here.
      pending.catch(noop);
      return await Promise.race([pending, deadline]);
    } catch (err) {
      throw this.classify(err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops listening to the client. */
  detach(): void {
    this.client.off('error', this.onError);
    this.client.off('ready', this.onReady);
  }

  private whenReady(): Promise<void> {
    const status = this.client.status;
    if (!STARTING.has(status)) {
      return Promise.reject(this.unavailable(`Redis connection is ${status}`));
    }
    if (status === 'wait') this.client.connect().catch(noop); // lazyConnect: nothing else would start it
    // One shared listener however many requests wait, so an outage does not pile up listeners.
    this.readyWait ??= new Promise<void>((resolve) => {
      this.client.once('ready', () => {
        this.readyWait = undefined;
        resolve();
      });
    });
    return this.readyWait;
  }

  private classify(err: unknown): unknown {
    if (err instanceof StoreUnavailableError) return err;
    const name = (err as { name?: unknown } | null)?.name;
    const message = String((err as { message?: unknown } | null)?.message ?? '');
    if (name === 'ReplyError' && !UNAVAILABLE_REPLY.test(message)) return err;
    return this.unavailable(`Redis failed: ${message}`, err);
  }

  private unavailable(message: string, cause: unknown = this.lastError): StoreUnavailableError {
    return new StoreUnavailableError(message, cause === undefined ? {} : { cause });
  }
}

function noop(): void {}
