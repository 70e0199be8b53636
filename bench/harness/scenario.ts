// The declarative shape of a benchmark scenario. A scenario is data: which servers to start, the request
// the load generator sends, the status every response must have, and the targets to check. Adding a
// contender to a scenario, or a scenario to bench/scenarios/index.ts, is all it takes to benchmark it.

/** What a contender is there for; decides which ratios are computed against it. */
export type Role =
  /** A Keyturn configuration under test. */
  | 'keyturn'
  /** A library a user would pick instead of Keyturn. "Best peer" targets compare against these. */
  | 'peer'
  /** Bare Express: the ceiling for anything mounted in Express. Every row gets a ratio to it. */
  | 'baseline'
  /** Bare node:http: shows how much of the budget Express itself spends. */
  | 'reference';

/** The HTTP request the load generator repeats. */
export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * For load that cannot repeat one request (e.g. single-use refresh tokens): a module in bench/load-hooks/
   * whose `requests(request, options)` returns autocannon's `requests` sequence, run in the load generator's
   * process. The request above is still the one checked before the load and the sequence's first.
   */
  readonly hooks?: { readonly module: string; readonly options?: Readonly<Record<string, unknown>> };
}

/** One server process in a scenario. */
export interface Contender {
  /** Stable key, used by targets and in RESULTS.md (e.g. `keyturn-hashed`). */
  readonly id: string;
  /** Human label for tables. */
  readonly label: string;
  readonly role: Role;
  /** Server module: a file name in bench/servers/ without extension. */
  readonly server: string;
  /** Extra environment for the server process (e.g. `{ JWT_ALG: 'RS256' }`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Overrides of the scenario's request for this contender (rarely needed: servers can hand over headers). */
  readonly request?: Partial<RequestSpec>;
  /** Longest start-up, seconds (default 30); servers that seed a million Redis keys need more. */
  readonly startTimeoutSeconds?: number;
  /** Longest wait after SIGTERM before SIGKILL, seconds (default 5); servers deleting their Redis keys need more. */
  readonly stopTimeoutSeconds?: number;
}

/**
 * Counters a server exposes on a GET route (JSON `{ "name": number, ... }`), read before and after each measured
 * round; the report shows each counter's delta divided by the delta of `per` (e.g. Redis commands per successful
 * refresh). Servers without the route are skipped.
 */
export interface ServerStats {
  readonly path: string;
  /** The counter that counts the unit of work (e.g. `rotated`: successful refresh rotations). */
  readonly per: string;
  /** What that unit is called in the report (e.g. `refresh`). */
  readonly perLabel: string;
  /** Counters shown, in order, with their labels; others are still listed in the per-round detail. */
  readonly show: ReadonlyArray<{ readonly counter: string; readonly label: string }>;
}

/** `subject`'s counter per unit (median over rounds) must be at most `max`. */
export interface StatTarget {
  readonly label: string;
  readonly subject: string;
  readonly counter: string;
  readonly max: number;
}

/** What a scenario's extra, non-load measurement reports (scenario 5's memory-store RSS). */
export interface ExtraResult {
  /** Markdown for RESULTS.md. */
  readonly markdown: string;
  /** Lines for the terminal. */
  readonly console: string;
  /** Target outcomes, already judged. */
  readonly targets: ReadonlyArray<{ readonly label: string; readonly status: 'met' | 'missed'; readonly detail: string }>;
  /** Set when the measurement itself failed. */
  readonly invalid?: string;
}

/**
 * `subject` must reach at least `min` × `against`, both measured in the same round (median over rounds).
 * `against` is a contender id or `best-peer` (the peer with the highest median req/s). A target whose
 * subject is not in the scenario yet (a Keyturn feature still on another branch) is reported as pending.
 */
export interface Target {
  readonly label: string;
  readonly subject: string;
  readonly against: string | 'best-peer';
  readonly min: number;
}

/** A sampled response, for {@link Scenario.checkResponse}. */
export interface SampleResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface Scenario {
  /** Short id for `--only` (e.g. `s1-client-credentials`). */
  readonly id: string;
  readonly title: string;
  /** One paragraph for RESULTS.md: what is measured and what every contender does. */
  readonly description: string;
  readonly request: RequestSpec;
  /** The status every response must have; anything else makes the run invalid. */
  readonly expectStatus: number;
  /**
   * Checks one response before the load starts (a server answering fast but wrong must not win).
   * Returns a complaint, or undefined when the response is right.
   */
  readonly checkResponse?: (response: SampleResponse) => string | undefined;
  readonly contenders: readonly Contender[];
  /** The contender id every row is compared with (bare Express). */
  readonly baseline: string;
  readonly targets: readonly Target[];
  /** Notes printed under the scenario's table in RESULTS.md. */
  readonly notes?: readonly string[];
  /** What the baseline column is called when the baseline is not bare Express (default `bare Express`). */
  readonly baselineLabel?: string;
  /** Counters read from every server before and after each measured round (see {@link ServerStats}). */
  readonly serverStats?: ServerStats;
  readonly statTargets?: readonly StatTarget[];
  /** A measurement run after the load rounds, outside the load generator (e.g. memory-store RSS). */
  readonly extra?: (settings: { readonly smoke: boolean; readonly serverPrefix: readonly string[] }) => Promise<ExtraResult>;
}
