import { createServer, type RequestListener, type Server } from 'node:http';
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
  // Several demo instances given one REDIS_URL behave as one authorization server. The client sends each
  // command at most once (redisStore would set the same): a refresh answered 503 during an outage must not
  // run after Redis is back, or the client's retry would look like reuse and revoke its grant.
  const redis = process.env.REDIS_URL
    ? new Redis(process.env.REDIS_URL, { lazyConnect: false, autoResendUnfulfilledCommands: false, enableOfflineQueue: false })
    : undefined;
  const store: Store | undefined = redis === undefined ? undefined : redisStore(redis, { keyPrefix: process.env.KEYTURN_REDIS_PREFIX ?? 'keyturn:' });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  // Listening comes first: with PORT=0 only the bound socket knows the port, and the issuer and the
  // playground's redirect URI name the address the demo is reached at. Until the app is ready, requests get 503.
  let handle: RequestListener = (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: 'the demo is starting' }));
  };
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    const refuse = (err: Error) => reject(new ConfigError(`cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  const origin = listeningOrigin(server, host);

  let demo;
  try {
    demo = buildApp(config, {
      metrics,
      origin,
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
  handle = root;

  console.log(`listening on ${origin}`);
  console.log(`playground: ${origin}/`);
  logger.info({ profile: profile.name, tokenEndpoint: `${profile.mountPath}/token`, issuer: config.issuer ?? `${origin}/oauth2`, store: redis === undefined ? 'memory' : 'redis' }, 'keyturn demo ready');

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

/**
 * The address the demo is reached at: the bound port, and for a wildcard HOST (0.0.0.0, ::) the loopback
 * address, the one a browser on this machine can open.
 */
function listeningOrigin(server: Server, host: string): string {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : Number(process.env.PORT ?? 3000);
  const name = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
