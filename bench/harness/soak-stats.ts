// The soak's arithmetic, kept pure so spec/bench/soak-stats.spec.ts can check it: outcomes gathered per minute and
// per request kind, then the verdict on errors, RSS and p99 (bench/harness/soak.ts).
import { SOAK_KINDS, type SoakKind } from './soak-traffic';
import { median } from './stats';

/** What happened to one request. */
export interface SoakOutcome {
  /** From the request's write to the end of its response; absent when no response came. */
  readonly latencyMs?: number;
  readonly status?: number;
  /** Why the answer was wrong (an unexpected status, or a body that is not what the kind must get). */
  readonly unexpected?: string;
  /** A connection error's code, or `timeout`: no response at all. */
  readonly transportError?: string;
}

/** One kind's figures over one bucket. */
export interface KindBucket {
  /** Responses received (requests that ended in a transport error are not in it). */
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Responses per status, expected or not. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Wrong answers per reason (e.g. `status 500`). */
  readonly unexpected: Readonly<Record<string, number>>;
  /** Requests that got no response, per error code. */
  readonly transportErrors: Readonly<Record<string, number>>;
}

/** One bucket (a minute in a full run; the warm-up is bucket -1). */
export interface SoakBucket {
  readonly index: number;
  /** Milliseconds from the start of the measured load. */
  readonly startMs: number;
  readonly seconds: number;
  /** Requests sent in the bucket, whatever became of them. */
  readonly sent: number;
  readonly kinds: Readonly<Partial<Record<SoakKind, KindBucket>>>;
}

/**
 * The p-th percentile by nearest rank (the smallest value with at least p % of the values at or below it), of
 * values sorted ascending; NaN for none.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

interface KindTally {
  latencies: number[];
  statuses: Record<string, number>;
  unexpected: Record<string, number>;
  transportErrors: Record<string, number>;
}

/** Gathers outcomes per kind until {@link flush}, which summarizes the bucket and starts the next one. */
export class BucketAccumulator {
  private tallies = new Map<SoakKind, KindTally>();
  private sent = 0;

  /** Counts a request as sent (when it is written), before its outcome is known. */
  countSent(): void {
    this.sent++;
  }

  record(kind: SoakKind, outcome: SoakOutcome): void {
    let tally = this.tallies.get(kind);
    if (tally === undefined) {
      tally = { latencies: [], statuses: {}, unexpected: {}, transportErrors: {} };
      this.tallies.set(kind, tally);
    }
    if (outcome.transportError !== undefined) {
      bump(tally.transportErrors, outcome.transportError);
      return;
    }
    if (outcome.latencyMs !== undefined) tally.latencies.push(outcome.latencyMs);
    if (outcome.status !== undefined) bump(tally.statuses, String(outcome.status));
    if (outcome.unexpected !== undefined) bump(tally.unexpected, outcome.unexpected);
  }

  flush(index: number, startMs: number, seconds: number): SoakBucket {
    const kinds: Partial<Record<SoakKind, KindBucket>> = {};
    for (const [kind, tally] of this.tallies) {
      const sorted = tally.latencies.sort((a, b) => a - b);
      kinds[kind] = {
        count: sorted.length,
        p50Ms: round2(percentile(sorted, 50)),
        p99Ms: round2(percentile(sorted, 99)),
        maxMs: round2(sorted[sorted.length - 1] ?? Number.NaN),
        statuses: tally.statuses,
        unexpected: tally.unexpected,
        transportErrors: tally.transportErrors,
      };
    }
    const bucket: SoakBucket = { index, startMs, seconds, sent: this.sent, kinds };
    this.tallies = new Map();
    this.sent = 0;
    return bucket;
  }
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function round2(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : n;
}

/** Every bucket's counts of one field added up, as `kind reason` → count. */
export function totalsOf(buckets: readonly SoakBucket[], field: 'unexpected' | 'transportErrors'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const bucket of buckets) {
    for (const [kind, k] of Object.entries(bucket.kinds)) {
      for (const [reason, n] of Object.entries(k?.[field] ?? {})) out[`${kind} ${reason}`] = (out[`${kind} ${reason}`] ?? 0) + n;
    }
  }
  return out;
}

/** One instance's mean RSS over the first and over the last measured minute, in KiB. */
export interface RssSpan {
  readonly instance: string;
  readonly startKiB: number;
  readonly endKiB: number;
}

/** The verdict's limits. */
export interface SoakLimits {
  /** RSS is flat when its last minute's mean is at most this share above its first minute's mean (0.2: 20 %). */
  readonly rssGrowth: number;
  /** p99 is stable when no bucket's p99 of a kind exceeds that kind's median bucket p99 by more than this factor. */
  readonly p99Factor: number;
  /** A kind's bucket takes part in the p99 judgement only with at least this many responses. */
  readonly minSamples: number;
}

/** Limits chosen for a shared 2-core machine, stated in bench/README.md and in every SOAK.md. */
export const SOAK_LIMITS: SoakLimits = Object.freeze({ rssGrowth: 0.2, p99Factor: 3, minSamples: 100 });

export interface SoakVerdict {
  readonly unexpected: number;
  readonly transportErrors: number;
  /** Largest growth of any instance's RSS, as a share (0.05: 5 %); negative when every instance shrank. */
  readonly rssGrowth: number;
  readonly rssFlat: boolean;
  /** Worst bucket p99 over the median bucket p99, over the kinds judged; NaN when none could be judged. */
  readonly p99Factor: number;
  readonly p99WorstKind: SoakKind | undefined;
  readonly p99Stable: boolean;
  /** Kinds with fewer than two buckets of `minSamples` responses, shown but not judged. */
  readonly p99NotJudged: readonly SoakKind[];
  /** No unexpected status and no transport error: what makes `npm run bench` exit 0. */
  readonly errorFree: boolean;
  /** The one line for SOAK.md and the terminal. */
  readonly line: string;
}

/**
 * Judges a soak: errors over every bucket (the warm-up's too), RSS growth per instance, and p99 per kind over the
 * measured buckets (`index >= 0`).
 */
export function soakVerdict(buckets: readonly SoakBucket[], rss: readonly RssSpan[], limits: SoakLimits = SOAK_LIMITS): SoakVerdict {
  const unexpectedTotals = totalsOf(buckets, 'unexpected');
  const transportTotals = totalsOf(buckets, 'transportErrors');
  const unexpected = sum(Object.values(unexpectedTotals));
  const transportErrors = sum(Object.values(transportTotals));

  const growths = rss.map((r) => (r.endKiB - r.startKiB) / r.startKiB);
  const rssGrowth = growths.length === 0 ? Number.NaN : Math.max(...growths);
  const rssFlat = Number.isFinite(rssGrowth) && rssGrowth <= limits.rssGrowth;

  const measured = buckets.filter((b) => b.index >= 0);
  const seen = new Set(measured.flatMap((b) => Object.keys(b.kinds)));
  const kinds = SOAK_KINDS.filter((k) => seen.has(k));
  let p99Factor = Number.NaN;
  let p99WorstKind: SoakKind | undefined;
  const p99NotJudged: SoakKind[] = [];
  for (const kind of kinds) {
    const p99s = measured.map((b) => b.kinds[kind]).filter((k): k is KindBucket => k !== undefined && k.count >= limits.minSamples).map((k) => k.p99Ms);
    if (p99s.length < 2) {
      p99NotJudged.push(kind);
      continue;
    }
    const factor = Math.max(...p99s) / median(p99s);
    if (!(factor <= p99Factor)) {
      p99Factor = factor;
      p99WorstKind = kind;
    }
  }
  const p99Stable = Number.isFinite(p99Factor) && p99Factor <= limits.p99Factor;
  const errorFree = unexpected === 0 && transportErrors === 0;

  const errorText = errorFree
    ? 'none'
    : [
        unexpected > 0 ? `${unexpected} unexpected ${unexpected === 1 ? 'answer' : 'answers'} (${describeCounts(unexpectedTotals)})` : '',
        transportErrors > 0 ? `${transportErrors} transport ${transportErrors === 1 ? 'error' : 'errors'} (${describeCounts(transportTotals)})` : '',
      ].filter((s) => s !== '').join(', ');
  const rssText = !Number.isFinite(rssGrowth)
    ? 'RSS not measured'
    : rssGrowth <= 0
      ? `RSS flat (no instance grew, mean of the last minute over the first: ${growths.map(signedPercent).join(', ')}; limit +${percent(limits.rssGrowth)})`
      : `RSS ${rssFlat ? 'flat' : 'NOT flat'} within +${percent(rssGrowth)} (mean of the last minute over the first: ${growths.map(signedPercent).join(', ')}; limit +${percent(limits.rssGrowth)})`;
  const p99Text = Number.isFinite(p99Factor)
    ? `p99 ${p99Stable ? 'stable' : 'NOT stable'} within ${p99Factor.toFixed(2)} × (worst minute over the median minute, ${p99WorstKind}; limit ${limits.p99Factor} ×)`
    : 'p99 not judged (too few responses per minute)';
  return {
    unexpected,
    transportErrors,
    rssGrowth,
    rssFlat,
    p99Factor,
    p99WorstKind,
    p99Stable,
    p99NotJudged,
    errorFree,
    line: `errors: ${errorText}; ${rssText}; ${p99Text}`,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} × ${n}`)
    .join(', ');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function signedPercent(share: number): string {
  return `${share >= 0 ? '+' : '−'}${percent(Math.abs(share))}`;
}
