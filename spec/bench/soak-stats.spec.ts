// The soak's arithmetic (bench/harness/soak-stats.ts): outcomes gathered per bucket and kind, the nearest-rank
// percentile, and the verdict on errors, RSS growth and p99 stability that SOAK.md and the exit code rest on.
import { BucketAccumulator, percentile, soakVerdict, totalsOf, type KindBucket, type SoakBucket } from '../../bench/harness/soak-stats';
import type { SoakKind } from '../../bench/harness/soak-traffic';

const limits = { rssGrowth: 0.2, p99Factor: 3, minSamples: 100 };

function kind(p99Ms: number, extra: Partial<KindBucket> = {}): KindBucket {
  return { count: 200, p50Ms: 1, p99Ms, maxMs: p99Ms, statuses: { '200': 200 }, unexpected: {}, transportErrors: {}, ...extra };
}

function bucket(index: number, kinds: Partial<Record<SoakKind, KindBucket>>): SoakBucket {
  return { index, startMs: index * 60_000, seconds: 60, sent: 200, kinds };
}

const flatRss = [{ instance: 'A', startKiB: 100_000, endKiB: 105_000 }, { instance: 'B', startKiB: 100_000, endKiB: 98_000 }];

describe('percentile', () => {
  it('is the nearest rank: the smallest value with at least p % at or below it', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([], 99)).toBeNaN();
  });
});

describe('BucketAccumulator', () => {
  it('summarizes each kind of one bucket and starts the next one empty', () => {
    const acc = new BucketAccumulator();
    for (let i = 1; i <= 100; i++) {
      acc.countSent();
      acc.record('bearer', { latencyMs: i, status: 200 });
    }
    acc.countSent();
    acc.record('token', { latencyMs: 5, status: 500, unexpected: 'status 500' });
    acc.countSent();
    acc.record('token', { transportError: 'ECONNRESET' });
    acc.countSent();
    acc.record('token', { transportError: 'timeout' });

    const first = acc.flush(0, 0, 60);
    expect(first).toEqual({
      index: 0,
      startMs: 0,
      seconds: 60,
      sent: 103,
      kinds: {
        bearer: { count: 100, p50Ms: 50, p99Ms: 99, maxMs: 100, statuses: { '200': 100 }, unexpected: {}, transportErrors: {} },
        // A request with no response has no latency and no status; it is only a transport error.
        token: { count: 1, p50Ms: 5, p99Ms: 5, maxMs: 5, statuses: { '500': 1 }, unexpected: { 'status 500': 1 }, transportErrors: { ECONNRESET: 1, timeout: 1 } },
      },
    });
    expect(acc.flush(1, 60_000, 60)).toEqual({ index: 1, startMs: 60_000, seconds: 60, sent: 0, kinds: {} });
  });

  it('adds the unexpected answers and transport errors of every bucket up by kind and reason', () => {
    const buckets = [
      bucket(-1, { token: kind(5, { unexpected: { 'status 500': 2 } }) }),
      bucket(0, { token: kind(5, { unexpected: { 'status 500': 1 } }), bearer: kind(1, { transportErrors: { timeout: 3 } }) }),
    ];
    expect(totalsOf(buckets, 'unexpected')).toEqual({ 'token status 500': 3 });
    expect(totalsOf(buckets, 'transportErrors')).toEqual({ 'bearer timeout': 3 });
  });
});

describe('soakVerdict', () => {
  const steady = [bucket(-1, { bearer: kind(40) }), bucket(0, { bearer: kind(2) }), bucket(1, { bearer: kind(3) }), bucket(2, { bearer: kind(2.5) })];

  it('passes a run without errors, with flat RSS and steady p99, and says by how much', () => {
    const v = soakVerdict(steady, flatRss, limits);
    expect(v).toMatchObject({ errorFree: true, unexpected: 0, transportErrors: 0, rssFlat: true, p99Stable: true, p99WorstKind: 'bearer', p99NotJudged: [] });
    expect(v.rssGrowth).toBeCloseTo(0.05);
    // Worst minute 3 ms over the median minute 2.5 ms; the warm-up's 40 ms is not judged.
    expect(v.p99Factor).toBeCloseTo(1.2);
    expect(v.line).toBe('errors: none; RSS flat within +5.0 % (mean of the last minute over the first: +5.0 %, −2.0 %; limit +20.0 %); p99 stable within 1.20 × (worst minute over the median minute, bearer; limit 3 ×)');
  });

  it('counts the warm-up\'s errors, unexpected answers and transport errors apart', () => {
    const buckets = [
      bucket(-1, { token: kind(5, { unexpected: { 'status 500': 1 } }) }),
      bucket(0, { token: kind(5, { unexpected: { 'status 503': 2 }, transportErrors: { ECONNRESET: 1 } }) }),
    ];
    const v = soakVerdict(buckets, flatRss, limits);
    expect(v).toMatchObject({ errorFree: false, unexpected: 3, transportErrors: 1 });
    expect(v.line.startsWith('errors: 3 unexpected answers (token status 503 × 2, token status 500 × 1), 1 transport error (token ECONNRESET × 1); ')).toBe(true);
  });

  it('calls RSS growing past the limit not flat, and a shrinking RSS flat', () => {
    const grown = soakVerdict(steady, [{ instance: 'A', startKiB: 100_000, endKiB: 100_000 }, { instance: 'B', startKiB: 100_000, endKiB: 125_000 }], limits);
    expect(grown.rssFlat).toBe(false);
    expect(grown.rssGrowth).toBeCloseTo(0.25);
    expect(grown.line).toContain('RSS NOT flat within +25.0 % (mean of the last minute over the first: +0.0 %, +25.0 %; limit +20.0 %)');
    const shrunk = soakVerdict(steady, [{ instance: 'A', startKiB: 100_000, endKiB: 70_000 }], limits);
    expect(shrunk.rssFlat).toBe(true);
    expect(shrunk.line).toContain('RSS flat (no instance grew, mean of the last minute over the first: −30.0 %; limit +20.0 %)');
  });

  it('calls a minute whose p99 is more than the factor over the median minute not stable, naming the kind', () => {
    const buckets = [bucket(0, { bearer: kind(2), token: kind(10) }), bucket(1, { bearer: kind(2), token: kind(10) }), bucket(2, { bearer: kind(7), token: kind(11) })];
    const v = soakVerdict(buckets, flatRss, limits);
    expect(v).toMatchObject({ p99Stable: false, p99WorstKind: 'bearer' });
    expect(v.p99Factor).toBeCloseTo(3.5);
  });

  it('leaves out of the p99 judgement the kinds with too few responses per minute, and says so', () => {
    const buckets = [bucket(0, { bearer: kind(2), malformed: kind(1, { count: 40 }) }), bucket(1, { bearer: kind(2), malformed: kind(50, { count: 40 }) })];
    const v = soakVerdict(buckets, flatRss, limits);
    expect(v).toMatchObject({ p99Stable: true, p99NotJudged: ['malformed'] });
    const none = soakVerdict([bucket(0, { bearer: kind(2) })], flatRss, limits);
    expect(none.p99Stable).toBe(false);
    expect(none.line).toContain('p99 not judged');
  });
});
