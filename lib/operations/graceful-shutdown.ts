import type { Server } from 'node:http';

/**
 * Options of {@link gracefulShutdown}.
 *
 * @example
 * ```ts
 * import { gracefulShutdown, type GracefulShutdownOptions } from 'keyturn';
 *
 * // Shorter than the orchestrator's own grace period (Kubernetes: 30 s by default), so the closes still run.
 * const shutdown: GracefulShutdownOptions = { timeoutMs: 20_000, close: [() => auth.close(), () => redis.quit()] };
 * const server = app.listen(3000);
 * process.once('SIGTERM', () => void gracefulShutdown(server, shutdown));
 * ```
 */
export interface GracefulShutdownOptions {
  /** Most time to wait for in-flight requests before cutting connections, ms. Default: 10 000. */
  timeoutMs?: number;
  /**
   * What to close once no request is in flight (the authorization server, a Redis client, ...), one after
   * the other in this order; one that throws does not stop the rest. Default: nothing.
   */
  close?: ReadonlyArray<() => Promise<unknown> | unknown>;
}

/**
 * Stops an HTTP server the way a deploy wants it stopped: refuse new connections, let in-flight requests
 * finish (up to `timeoutMs`), drop idle keep-alive connections as they become idle, then close what the
 * app holds open (stores, clients), in order.
 *
 * @example
 * ```ts
 * import { gracefulShutdown } from 'keyturn';
 *
 * const server = app.listen(3000);
 * process.once('SIGTERM', () => gracefulShutdown(server, { close: [() => auth.close(), () => redis.quit()] }).then(() => process.exit(0)));
 * ```
 */
export async function gracefulShutdown(server: Server, options: GracefulShutdownOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    };
    server.close(() => finish());
    // Keep-alive sockets that finish their last request become idle; close them as they do, or close()
    // would wait for the client to hang up.
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish();
    }, timeoutMs);
    idleSweep.unref();
    deadline.unref();
  });
  for (const close of options.close ?? []) {
    try {
      await close();
    } catch {
      // Keep closing the rest: one failing close must not leave the others open.
    }
  }
}
