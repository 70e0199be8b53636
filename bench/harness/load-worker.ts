// The load generator, run as its own process (pinned to its own core by the harness) so that it never
// competes with the server for the same CPU. Takes one JSON argument with the autocannon options and prints
// one JSON line with the figures the harness needs.
import path from 'node:path';
import autocannon from 'autocannon';
import type { LoadResult } from './load';
import type { RequestSpec } from './scenario';

interface WorkerOptions extends autocannon.Options {
  /** A bench/load-hooks/ module that builds the request sequence (see RequestSpec.hooks). */
  hooks?: { module: string; options?: Record<string, unknown> };
  request?: RequestSpec;
}

const { hooks, request, ...options } = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
if (hooks !== undefined) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.join(__dirname, '..', 'load-hooks', `${hooks.module}.js`)) as {
    requests(request: RequestSpec, options: Record<string, unknown>): autocannon.Request[];
  };
  options.requests = module.requests(request as RequestSpec, hooks.options ?? {});
}

autocannon(options, (err, result) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  const statusCodes: Record<string, number> = {};
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  for (const [code, { count }] of Object.entries(stats)) statusCodes[code] = count;
  const out: LoadResult = {
    requestsPerSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
    totalRequests: result.requests.total,
    durationSeconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
});
