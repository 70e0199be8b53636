import { memoryStore, type Store } from '../../lib';
import { redisStore } from '../../lib/redis';
import { deleteKeysUnder, localCluster, standaloneRedis, uniquePrefix } from './redis';

/** Where a spec's stores keep their data: every store one backend makes shares it, as instances would. */
export interface StoreBackend {
  /** A store on the backend; `commandTimeoutMs` is the Redis store's, ignored by memory. */
  store(options?: { commandTimeoutMs?: number }): Store;
  release(): Promise<void>;
}

async function memoryBackend(): Promise<StoreBackend> {
  const shared = memoryStore();
  return { store: () => shared, release: () => shared.close() };
}

async function redisBackend(label: string): Promise<StoreBackend> {
  const redis = await standaloneRedis();
  const client = await redis.connect();
  const prefix = uniquePrefix(label);
  return {
    store: (options) => redisStore(client, { keyPrefix: prefix, ...options }),
    release: async () => {
      await deleteKeysUnder(client, prefix);
      await redis.release();
    },
  };
}

async function clusterBackend(label: string): Promise<StoreBackend> {
  const cluster = await localCluster();
  const client = await cluster.connect();
  const prefix = uniquePrefix(`${label}-cluster`);
  return {
    store: (options) => redisStore(client, { keyPrefix: prefix, ...options }),
    release: async () => {
      await deleteKeysUnder(client, prefix);
      await cluster.release();
    },
  };
}

/**
 * The three stores a spec runs on, for `describe.each`: memory, the shared Redis (under a unique prefix, its
 * keys deleted after) and a three-master Cluster this run starts.
 */
export function storeBackends(label: string): Array<[string, () => Promise<StoreBackend>]> {
  return [
    ['memory store', memoryBackend],
    ['standalone Redis', () => redisBackend(label)],
    ['3-master Redis Cluster', () => clusterBackend(label)],
  ];
}
