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
      process.stdout.write(`READY ${JSON.stringify({ port, headers: headers ?? options.requestHeaders ?? {} })}\n`);
    }, fail);
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    // A keep-alive socket must not hold the exit (and the profile) hostage.
    setTimeout(() => process.exit(0), 1000).unref();
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
