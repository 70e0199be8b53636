import { invalidReason, runLoad, type LoadResult, type LoadSettings } from './load';
import type { Pinning } from './machine';
import type { Contender, ExtraResult, RequestSpec, Scenario } from './scenario';
import { startServer, type RunningServer } from './server-process';
import { median } from './stats';

/** How a scenario is run. */
export interface RunSettings {
  readonly pinning: Pinning;
  readonly connections: number;
  readonly durationSeconds: number;
  /**
   * Requests per server before the measured rounds; 0 skips the warm-up. Counted in requests, not seconds,
   * because some costs end after a number of calls whatever the rate: Node 20 walks the stack on each of the
   * first 10 000 deprecated `new Buffer()` calls (passport-http makes one per Basic request), and the JIT
   * settles after a number of invocations.
   */
  readonly warmupRequests: number;
  readonly rounds: number;
  /** Contender ids whose server runs under `node --cpu-prof`. */
  readonly profile: ReadonlySet<string>;
  readonly profileDir: string;
  readonly log: (line: string) => void;
  /** A smoke run: servers get `BENCH_SMOKE=1` (seed less), extra measurements run small. */
  readonly smoke?: boolean;
}

/** One measured round of one contender. */
export interface Measurement extends LoadResult {
  /** Server CPU time (user + system) per completed request, in microseconds, when /proc is available. */
  readonly cpuMicrosPerRequest?: number;
  readonly invalid?: string;
  /** Deltas of the server's counters over the round (see Scenario.serverStats). */
  readonly serverStats?: Readonly<Record<string, number>>;
}

/** Everything measured for one contender. */
export interface ContenderRun {
  readonly contender: Contender;
  command?: string;
  request?: RequestSpec;
  /** Set when the server failed to start, answered a wrong sample, or any response had the wrong status. */
  invalid?: string;
  readonly rounds: Measurement[];
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly contenders: ContenderRun[];
  /** The scenario's extra measurement, when it has one. */
  extra?: ExtraResult;
}

/**
 * Runs one scenario: starts every contender's server (each its own process), checks one response from each,
 * warms each up, then measures `rounds` rounds with the contenders interleaved (A B C A B C ...) so that drift
 * of a shared machine hits all alike.
 */
export async function runScenario(scenario: Scenario, settings: RunSettings): Promise<ScenarioRun> {
  const runs: ContenderRun[] = scenario.contenders.map((contender) => ({ contender, rounds: [] }));
  const servers = new Map<string, RunningServer>();
  const load: LoadSettings = { connections: settings.connections, durationSeconds: settings.durationSeconds };
  try {
    // Start servers one at a time: they share the server core, and a start-up (scrypt, key generation)
    // must not overlap another server's.
    for (const run of runs) {
      try {
        const server = await startServer(run.contender, {
          pinning: settings.pinning,
          ...(settings.smoke ? { env: { BENCH_SMOKE: '1' } } : {}),
          ...(settings.profile.has(run.contender.id) ? { cpuProfileDir: settings.profileDir } : {}),
        });
        servers.set(run.contender.id, server);
        run.command = server.command;
        run.request = requestFor(scenario, run.contender, server);
        const complaint = await sampleCheck(scenario, server.port, run.request);
        if (complaint !== undefined) run.invalid = `sample response: ${complaint}`;
      } catch (err) {
        run.invalid = `server failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (run.invalid !== undefined) settings.log(`  ${run.contender.id}: INVALID ${run.invalid}`);
    }

    const live = () => runs.filter((run) => run.invalid === undefined);
    if (settings.warmupRequests > 0) {
      for (const run of live()) {
        const server = servers.get(run.contender.id) as RunningServer;
        const result = await runLoad(server.port, run.request as RequestSpec, { ...load, amount: settings.warmupRequests }, settings.pinning);
        const invalid = invalidReason(result, scenario.expectStatus);
        if (invalid !== undefined) run.invalid = `warm-up: ${invalid}`;
        settings.log(`  warm-up ${run.contender.id}: ${Math.round(result.requestsPerSecond)} req/s${invalid ? ` INVALID ${invalid}` : ''}`);
      }
    }

    for (let round = 1; round <= settings.rounds; round++) {
      for (const run of live()) {
        const server = servers.get(run.contender.id) as RunningServer;
        const statsBefore = await readServerStats(scenario, server.port);
        const cpuBefore = server.cpuSeconds();
        const result = await runLoad(server.port, run.request as RequestSpec, load, settings.pinning);
        const cpuAfter = server.cpuSeconds();
        const statsAfter = await readServerStats(scenario, server.port);
        const serverStats = statsBefore && statsAfter ? statsDelta(statsBefore, statsAfter) : undefined;
        const cpu =
          cpuBefore !== undefined && cpuAfter !== undefined && result.totalRequests > 0
            ? ((cpuAfter - cpuBefore) * 1e6) / result.totalRequests
            : undefined;
        const invalid = invalidReason(result, scenario.expectStatus);
        run.rounds.push({
          ...result,
          ...(cpu === undefined ? {} : { cpuMicrosPerRequest: cpu }),
          ...(invalid === undefined ? {} : { invalid }),
          ...(serverStats === undefined ? {} : { serverStats }),
        });
        if (invalid !== undefined) run.invalid = `round ${round}: ${invalid}`;
        settings.log(
          `  round ${round} ${run.contender.id}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms` +
            `${cpu === undefined ? '' : `, ${Math.round(cpu)} µs CPU/req`}${invalid ? ` INVALID ${invalid}` : ''}` +
            `${serverStats === undefined ? '' : `, ${describeStats(scenario, serverStats)}`}`,
        );
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  const out: ScenarioRun = { scenario, contenders: runs };
  if (scenario.extra !== undefined) {
    try {
      out.extra = await scenario.extra({ smoke: settings.smoke === true, serverPrefix: settings.pinning.serverPrefix });
    } catch (err) {
      out.extra = { markdown: '', console: '', targets: [], invalid: `extra measurement failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    settings.log(`  ${out.extra.invalid ?? out.extra.console.split('\n').join('\n  ')}`);
  }
  return out;
}

/** The server's counters, or undefined when the scenario reads none or the server has no such route. */
async function readServerStats(scenario: Scenario, port: number): Promise<Record<string, number> | undefined> {
  if (scenario.serverStats === undefined) return undefined;
  const response = await fetch(`http://127.0.0.1:${port}${scenario.serverStats.path}`);
  if (response.status !== 200) {
    await response.text();
    return undefined;
  }
  return (await response.json()) as Record<string, number>;
}

function statsDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) out[key] = value - (before[key] ?? 0);
  return out;
}

function describeStats(scenario: Scenario, stats: Readonly<Record<string, number>>): string {
  const spec = scenario.serverStats;
  if (spec === undefined) return '';
  const units = stats[spec.per] ?? 0;
  const shown = spec.show.filter(({ counter }) => stats[counter] !== undefined).slice(0, 4);
  return `${units} × ${spec.perLabel}${shown.length === 0 ? '' : `; per ${spec.perLabel}: ${shown.map(({ counter, label }) => `${label} ${units > 0 ? ((stats[counter] ?? 0) / units).toFixed(3) : 'n/a'}`).join(', ')}`}`;
}

/** The request the load generator sends to one server: the scenario's, the contender's overrides, then what the server handed over. */
export function requestFor(scenario: Scenario, contender: Contender, server: RunningServer): RequestSpec {
  const base = { ...scenario.request, ...contender.request, ...(server.body === undefined ? {} : { body: server.body }) };
  return { ...base, headers: { ...scenario.request.headers, ...contender.request?.headers, ...server.headers } };
}

async function sampleCheck(scenario: Scenario, port: number, request: RequestSpec): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = await response.text();
  if (response.status !== scenario.expectStatus) return `status ${response.status}, expected ${scenario.expectStatus}: ${body.slice(0, 300)}`;
  return scenario.checkResponse?.({ status: response.status, headers: response.headers, body });
}

/** Median figures of one contender over its rounds. */
export interface Summary {
  readonly requestsPerSecond: number;
  /** Median server CPU µs per request (NaN where not measured). */
  readonly cpuMicrosPerRequest: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

export function summarize(run: ContenderRun): Summary {
  return {
    requestsPerSecond: median(run.rounds.map((r) => r.requestsPerSecond)),
    cpuMicrosPerRequest: median(run.rounds.map((r) => r.cpuMicrosPerRequest ?? Number.NaN)),
    latencyP50Ms: median(run.rounds.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(run.rounds.map((r) => r.latencyP99Ms)),
  };
}

/** `a / b` in each round (both measured in the same round), and the median of those. */
export interface RoundRatios {
  readonly perRound: readonly number[];
  readonly median: number;
}

export function roundRatios(a: ContenderRun, b: ContenderRun): RoundRatios {
  const perRound: number[] = [];
  const n = Math.min(a.rounds.length, b.rounds.length);
  for (let i = 0; i < n; i++) perRound.push((a.rounds[i] as Measurement).requestsPerSecond / (b.rounds[i] as Measurement).requestsPerSecond);
  return { perRound, median: median(perRound) };
}

/**
 * `b`'s CPU per request over `a`'s in each round: how many of `a`'s requests fit in the CPU of one of `b`'s.
 * Comparable with the req/s ratio (higher is better for `a`) but insensitive to other load on the core.
 */
export function cpuRatios(a: ContenderRun, b: ContenderRun): RoundRatios {
  const perRound: number[] = [];
  const n = Math.min(a.rounds.length, b.rounds.length);
  for (let i = 0; i < n; i++) {
    const x = (a.rounds[i] as Measurement).cpuMicrosPerRequest;
    const y = (b.rounds[i] as Measurement).cpuMicrosPerRequest;
    if (x !== undefined && y !== undefined && x > 0) perRound.push(y / x);
  }
  return { perRound, median: median(perRound) };
}
