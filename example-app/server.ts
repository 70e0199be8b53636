import type { Server } from 'node:http';
import { buildApp } from './app';
import { ConfigError, loadConfigFile } from './config';

// Starts the demo: `npm run demo`. Environment: PORT (3000), HOST (127.0.0.1), KEYTURN_CONFIG
// (example-app/config.json), REDIS_URL (Redis store when set; memory store otherwise).
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const configPath = process.env.KEYTURN_CONFIG ?? `${__dirname}/config.json`;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (got "${process.env.PORT}")`);

  const config = await loadConfigFile(configPath);
  const { app, auth } = buildApp(config);
  const server: Server = app.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address !== null ? address.port : port;
    console.log(`listening on http://${host}:${actualPort}`);
    console.log(`playground: http://${host}:${actualPort}/ (the code flow's callback is registered for 127.0.0.1:3000)`);
  });
  server.on('error', (err) => {
    console.error(`cannot listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  });

  const stop = () => {
    server.close(() => {
      auth.close().finally(() => process.exit(0));
    });
    // Keep-alive connections would hold close() open; a stopping demo does not wait for them.
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
