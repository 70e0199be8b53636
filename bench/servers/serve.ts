import http from 'node:http';

/** What a server may tell the harness besides its port. */
export interface ServeOptions {
  /**
   * Headers the load generator must send to this server, overriding the scenario's. A resource server
   * mints its own test token at start-up (it alone holds its keys or its token map) and hands it over here.
   */
  requestHeaders?: Record<string, string>;
  /**
   * Runs once the port is known, before the harness is told (e.g. to build a JWKS URL, or to fetch a test
   * token from the server's own token endpoint). Headers it returns replace `requestHeaders`.
   */
  onListening?: (port: number) => void | Promise<Record<string, string> | void>;
  /**
   * The request body the load generator must send to this server, overriding the scenario's; read once
   * `onListening` has run (e.g. an introspection request naming a token the server just issued).
   */
  requestBody?: () => string | undefined;
  /** Runs on SIGTERM before the process exits (e.g. deleting the server's own Redis keys). */
  onStop?: () => Promise<void>;
}

/**
 * Starts a scenario server on an ephemeral loopback port and tells the harness with a single line on stdout:
 * `READY {"port":…,"headers":{…}}`. Every server in bench/servers/ goes through here so they all run the
 * same `http.Server` settings.
 *
 * SIGTERM and SIGINT exit the process normally, so `node --cpu-prof` gets to write its profile.
 */
export function serve(handler: http.RequestListener, options: ServeOptions = {}): http.Server {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    const port = address.port;
    Promise.resolve(options.onListening?.(port)).then((headers) => {
      const body = options.requestBody?.();
      process.stdout.write(`READY ${JSON.stringify({ port, headers: headers ?? options.requestHeaders ?? {}, ...(body === undefined ? {} : { body }) })}\n`);
    }, fail);
  });
  const stop = () => {
    server.closeAllConnections();
    const cleanup = options.onStop?.() ?? Promise.resolve();
    const closed = new Promise<void>((done) => server.close(() => done()));
    // A keep-alive socket must not hold the exit (and the profile) hostage.
    Promise.all([cleanup, Promise.race([closed, new Promise((done) => setTimeout(done, 1000))])]).then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

/** Exits with the error when a server's async start-up fails, so the harness sees it at once. */
export function fail(err: unknown): never {
  console.error(err);
  process.exit(1);
}
