// `keyturn/redis`: the Store on Redis (ioredis, standalone or Cluster). ioredis is loaded only by apps that
// import this subpath.

export { redisStore, type RedisStoreOptions, type RedisClient } from './store/redis-store';
