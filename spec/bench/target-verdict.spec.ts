// The benchmark's verdict on a target (bench/harness/report.ts): met or missed by the median of the per-round
// ratios, unless the rounds fall on both sides of the target and lie more than 1.2 × apart, which decides nothing.
import { evaluateTargets, INCONCLUSIVE_SPREAD } from '../../bench/harness/report';
import type { ContenderRun, Measurement, ScenarioRun } from '../../bench/harness/runner';
import type { Contender, Scenario } from '../../bench/harness/scenario';

function measurement(requestsPerSecond: number): Measurement {
  return { requestsPerSecond, totalRequests: requestsPerSecond * 10, durationSeconds: 10, latencyP50Ms: 1, latencyP99Ms: 2, latencyMeanMs: 1, statusCodes: { '200': requestsPerSecond * 10 }, errors: 0, timeouts: 0, non2xx: 0 };
}

function contender(id: string, role: Contender['role'], rounds: readonly number[]): ContenderRun {
  return { contender: { id, label: id, role, server: id }, rounds: rounds.map(measurement) };
}

/** Keyturn's req/s per round against a baseline of 1000 req/s in every round, judged against 0.9. */
function judge(keyturnRounds: readonly number[]) {
  const scenario = {
    id: 'verdict',
    title: 'verdict',
    description: '',
    request: { method: 'GET', path: '/' },
    expectStatus: 200,
    baseline: 'bare',
    contenders: [],
    targets: [{ label: 'Keyturn ≥ 0.90 × bare', subject: 'keyturn', against: 'bare', min: 0.9 }],
  } as unknown as Scenario;
  const run: ScenarioRun = { scenario, contenders: [contender('keyturn', 'keyturn', keyturnRounds), contender('bare', 'baseline', [1000, 1000, 1000])] };
  const [outcome] = evaluateTargets(run);
  return outcome;
}

describe('bench target verdicts', () => {
  it('meets a target when every round is above it', () => {
    expect(judge([920, 950, 930])).toMatchObject({ status: 'met', ratio: 0.93, perRound: [0.92, 0.95, 0.93] });
  });

  it('misses a target when every round is below it', () => {
    expect(judge([870, 870, 880])).toMatchObject({ status: 'missed', ratio: 0.87 });
  });

  it('decides by the median when the rounds straddle the target but stay close', () => {
    // 0.87 to 0.98 is 1.13 × apart: within what a quiet machine moves, so the median (0.96) stands.
    expect(judge([870, 980, 960])).toMatchObject({ status: 'met', ratio: 0.96 });
    expect(judge([880, 890, 950])).toMatchObject({ status: 'missed', ratio: 0.89 });
  });

  it('calls rounds that straddle the target and spread widely inconclusive, whatever their median', () => {
    // The 2026-12-01 run's scenario 1 rounds: 1.15, 0.60, 1.05 × bare Express.
    expect(judge([1150, 600, 1050])).toMatchObject({ status: 'inconclusive', ratio: 1.05 });
    expect(judge([600, 1150, 850])).toMatchObject({ status: 'inconclusive', ratio: 0.85 });
    expect(INCONCLUSIVE_SPREAD).toBe(1.2);
  });

  it('keeps a wide spread entirely on one side of the target decisive', () => {
    expect(judge([1500, 950, 1200])).toMatchObject({ status: 'met' });
    expect(judge([500, 850, 600])).toMatchObject({ status: 'missed' });
  });
});
