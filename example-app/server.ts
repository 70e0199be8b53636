import type { Server } from 'node:http';
import Redis from 'ioredis';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { gracefulShutdown, type Store } from '../lib';
import { redisStore } from '../lib/redis';
import { buildApp } from './app';
import { ConfigError, loadConfigFile } from './config';
import { demoLogger, httpLogger } from './logging';

// Starts the demo: `npm run demo`. Environment: PORT (3000), HOST (127.0.0.1), KEYTURN_CONFIG
// (example-app/config.json), KEYTURN_PROFILE (default | moov | bank | falcon), REDIS_URL (Redis store when
// set; memory store otherwise), KEYTURN_REDIS_PREFIX (keyturn:), LOG_LEVEL (info).

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const configPath = process.env.KEYTURN_CONFIG ?? `${__dirname}/config.json`;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (got "${process.env.PORT}")`);
  // Nothing secret reaches the log (example-app/logging.ts): credential headers, codes in URLs and Location.
  const logger = demoLogger(process.env.LOG_LEVEL ?? 'info');

  const config = await loadConfigFile(configPath);
  if (config.secret === undefined) {
    logger.warn('the config has no "secret": using the built-in development secret, which is public; set one of at least 32 bytes');
  }
  // Several demo instances given one REDIS_URL behave as one authorization server.
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { lazyConnect: false }) : undefined;
  const store: Store | undefined = redis === undefined ? undefined : redisStore(redis, { keyPrefix: process.env.KEYTURN_REDIS_PREFIX ?? 'keyturn:' });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  let demo;
  try {
    demo = buildApp(config, {
      metrics,
      ...(store === undefined ? {} : { store }),
      ...(process.env.KEYTURN_PROFILE ? { profile: process.env.KEYTURN_PROFILE } : {}),
    });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const { app, auth, profile } = demo;
  // The key ring's first read: a store that cannot be reached, or a secret that does not open the ring other
  // instances wrote, stops the demo here rather than at its first request.
  await auth.ready().catch((err: unknown) => {
    throw new ConfigError(`cannot load the signing keys: ${(err as Error).message}`);
  });
  for (const name of ['token.issued', 'client.auth_failed', 'rate_limited'] as const) {
    auth.events.on(name, (event: object) => logger.info({ event: name, ...event }, name));
  }
  const root = (await import('express')).default();
  root.disable('x-powered-by');
  root.use(httpLogger(logger));
  root.use(app);

  const server: Server = root.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address !== null ? address.port : port;
    console.log(`listening on http://${host}:${actualPort}`);
    console.log(`playground: http://${host}:${actualPort}/ (the code flow's callback is registered for 127.0.0.1:3000)`);
    logger.info({ profile: profile.name, tokenEndpoint: `${profile.mountPath}/token`, store: redis === undefined ? 'memory' : 'redis' }, 'keyturn demo ready');
  });
  server.on('error', (err) => {
    console.error(`cannot listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  });

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    gracefulShutdown(server, { close: [() => auth.close(), () => store?.close(), () => redis?.quit()] }).finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
