import { cpuRatios, roundRatios, summarize, type ContenderRun, type ScenarioRun } from './runner';
import type { StatTarget, Target } from './scenario';
import { formatRate, formatRatio, median } from './stats';

/**
 * Rounds whose ratios lie on both sides of a target and differ by more than this factor (highest / lowest) do
 * not decide it: on a quiet machine one pair's rounds stay within about 5–10 % of each other (bench/findings.md),
 * on a busy one they have spread from 0.60 × to 1.15 ×, and the median of such rounds is not a verdict.
 */
export const INCONCLUSIVE_SPREAD = 1.2;

/** A target's outcome. */
export interface TargetOutcome {
  readonly target: Target;
  /** `inconclusive`: the rounds fall on both sides of the target, further apart than {@link INCONCLUSIVE_SPREAD}. */
  readonly status: 'met' | 'missed' | 'inconclusive' | 'pending' | 'invalid';
  /** Median of the per-round ratios, when measured. */
  readonly ratio?: number;
  readonly perRound?: readonly number[];
  /** The same comparison by server CPU per request (see {@link cpuRatios}), when measured. */
  readonly cpuRatio?: number;
  /** What `against` resolved to (the best peer's id for `best-peer`). */
  readonly againstId?: string;
  readonly note?: string;
}

function byId(run: ScenarioRun, id: string): ContenderRun | undefined {
  return run.contenders.find((c) => c.contender.id === id);
}

/** The peer with the highest median req/s among the valid ones. */
export function bestPeer(run: ScenarioRun): ContenderRun | undefined {
  let best: ContenderRun | undefined;
  for (const c of run.contenders) {
    if (c.contender.role !== 'peer' || c.invalid !== undefined || c.rounds.length === 0) continue;
    if (best === undefined || summarize(c).requestsPerSecond > summarize(best).requestsPerSecond) best = c;
  }
  return best;
}

export function evaluateTargets(run: ScenarioRun): TargetOutcome[] {
  return run.scenario.targets.map((target): TargetOutcome => {
    const subject = byId(run, target.subject);
    if (subject === undefined) return { target, status: 'pending', note: `no contender "${target.subject}" in this scenario yet` };
    const against = target.against === 'best-peer' ? bestPeer(run) : byId(run, target.against);
    if (against === undefined) return { target, status: 'pending', note: `no contender "${target.against}" measured` };
    if (subject.invalid !== undefined || against.invalid !== undefined) {
      return { target, status: 'invalid', againstId: against.contender.id, note: subject.invalid ?? against.invalid };
    }
    const ratios = roundRatios(subject, against);
    const cpu = cpuRatios(subject, against);
    return {
      ...(Number.isFinite(cpu.median) ? { cpuRatio: cpu.median } : {}),
      target,
      status: verdict(ratios.perRound, ratios.median, target.min),
      ratio: ratios.median,
      perRound: ratios.perRound,
      againstId: against.contender.id,
    };
  });
}

function verdict(perRound: readonly number[], medianRatio: number, min: number): TargetOutcome['status'] {
  const low = Math.min(...perRound);
  const high = Math.max(...perRound);
  if (low < min && high >= min && high > low * INCONCLUSIVE_SPREAD) return 'inconclusive';
  return medianRatio >= min ? 'met' : 'missed';
}

/** Plain-text summary for the terminal. */
export function consoleSummary(run: ScenarioRun, checkTargets: boolean): string {
  const lines = [`\n${run.scenario.title}`];
  const baseline = byId(run, run.scenario.baseline);
  for (const c of run.contenders) {
    if (c.invalid !== undefined) {
      lines.push(`  ${c.contender.label.padEnd(48)} INVALID: ${c.invalid}`);
      continue;
    }
    const s = summarize(c);
    const vsBase = baseline && baseline.invalid === undefined ? formatRatio(roundRatios(c, baseline).median) : 'n/a';
    lines.push(
      `  ${c.contender.label.padEnd(48)} ${formatRate(s.requestsPerSecond).padStart(7)} req/s  p50 ${String(s.latencyP50Ms).padStart(4)} ms  p99 ${String(s.latencyP99Ms).padStart(4)} ms  ${formatMicros(s.cpuMicrosPerRequest).padStart(5)} µs CPU/req  ${vsBase} ${baselineName(run)}`,
    );
    const stats = statsPerUnit(run, c);
    if (stats !== undefined) lines.push(`    ${stats.text}`);
  }
  if (run.extra !== undefined) lines.push(`  ${run.extra.invalid ?? run.extra.console.split('\n').join('\n  ')}`);
  if (checkTargets) {
    for (const o of evaluateTargets(run)) lines.push(`  [${o.status.toUpperCase()}] ${describeOutcome(o)}`);
    for (const line of otherTargetLines(run)) lines.push(`  [${line.status.toUpperCase()}] ${line.text}`);
  }
  return lines.join('\n');
}

function baselineName(run: ScenarioRun): string {
  return run.scenario.baselineLabel ?? 'bare Express';
}

/** Median over rounds of each shown counter per unit, for one contender; undefined when not measured. */
export function statsPerUnit(run: ScenarioRun, c: ContenderRun): { units: number; perUnit: Record<string, number>; text: string } | undefined {
  const spec = run.scenario.serverStats;
  if (spec === undefined) return undefined;
  const rounds = c.rounds.filter((r) => r.serverStats !== undefined);
  if (rounds.length === 0) return undefined;
  const units = median(rounds.map((r) => r.serverStats?.[spec.per] ?? 0));
  const perUnit: Record<string, number> = {};
  const counters = new Set(rounds.flatMap((r) => Object.keys(r.serverStats ?? {})));
  for (const counter of counters) {
    perUnit[counter] = median(
      rounds.map((r) => {
        const n = r.serverStats?.[spec.per] ?? 0;
        return n > 0 ? (r.serverStats?.[counter] ?? 0) / n : Number.NaN;
      }),
    );
  }
  const shown = spec.show.filter(({ counter }) => counters.has(counter));
  const text = `${formatRate(units)} × ${spec.perLabel} per round${shown.length === 0 ? '' : `; per ${spec.perLabel}: ${shown.map(({ counter, label }) => `${label} ${fixed(perUnit[counter])}`).join(', ')}`}`;
  return { units, perUnit, text };
}

function fixed(n: number | undefined): string {
  return n !== undefined && Number.isFinite(n) ? n.toFixed(3) : 'n/a';
}

/** Stat targets and the extra measurement's targets, judged. */
export function otherTargetLines(run: ScenarioRun): Array<{ status: 'met' | 'missed' | 'pending' | 'invalid'; text: string }> {
  const out: Array<{ status: 'met' | 'missed' | 'pending' | 'invalid'; text: string }> = [];
  for (const t of run.scenario.statTargets ?? []) out.push(statOutcome(run, t));
  if (run.extra?.invalid !== undefined) out.push({ status: 'invalid', text: run.extra.invalid });
  for (const t of run.extra?.targets ?? []) out.push({ status: t.status, text: `${t.label}: ${t.detail}` });
  return out;
}

function statOutcome(run: ScenarioRun, t: StatTarget): { status: 'met' | 'missed' | 'pending' | 'invalid'; text: string } {
  const c = byId(run, t.subject);
  if (c === undefined) return { status: 'pending', text: `${t.label}: no contender "${t.subject}"` };
  if (c.invalid !== undefined) return { status: 'invalid', text: `${t.label}: ${c.invalid}` };
  const stats = statsPerUnit(run, c);
  const value = stats?.perUnit[t.counter];
  if (value === undefined || !Number.isFinite(value)) return { status: 'pending', text: `${t.label}: not measured` };
  return { status: value <= t.max + 1e-9 ? 'met' : 'missed', text: `${t.label} (${t.subject}: ${t.counter} per ${run.scenario.serverStats?.perLabel} ≤ ${t.max}): ${value.toFixed(3)}` };
}

export function describeOutcome(o: TargetOutcome): string {
  const head = `${o.target.label} (${o.target.subject} / ${o.againstId ?? o.target.against} ≥ ${o.target.min})`;
  if (o.ratio === undefined) return `${head}: ${o.note ?? ''}`;
  const cpu = o.cpuRatio === undefined ? '' : `; by server CPU per request ${formatRatio(o.cpuRatio)}`;
  return `${head}: ${formatRatio(o.ratio)} (rounds: ${(o.perRound ?? []).map(formatRatio).join(', ')})${cpu}`;
}

/** The markdown section of one scenario for RESULTS.md. */
export function markdownSection(run: ScenarioRun): string {
  const { scenario } = run;
  const valid = run.contenders.filter((c) => c.invalid === undefined && c.rounds.length > 0);
  const baseline = byId(run, scenario.baseline);
  const peers = valid.filter((c) => c.contender.role === 'peer');
  const out: string[] = [`## ${scenario.title}`, '', scenario.description, ''];

  const base = baselineName(run);
  const header = ['contender', 'req/s', 'p50 ms', 'p99 ms', `× ${base}`, ...peers.map((p) => `× ${p.contender.id}`), 'server CPU µs/req', `CPU: × ${base}`];
  out.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const c of run.contenders) {
    if (c.invalid !== undefined || c.rounds.length === 0) {
      out.push(`| ${c.contender.label} | **INVALID** | | | | ${peers.map(() => ' | ').join('')} | |`);
      continue;
    }
    const s = summarize(c);
    const vsBase = baseline && baseline.invalid === undefined ? formatRatio(roundRatios(c, baseline).median) : 'n/a';
    const vsPeers = peers.map((p) => (p === c ? '—' : formatRatio(roundRatios(c, p).median)));
    const cpuVsBase = baseline && baseline.invalid === undefined ? formatRatio(cpuRatios(c, baseline).median) : 'n/a';
    out.push(
      `| ${c.contender.label} | ${formatRate(s.requestsPerSecond)} | ${s.latencyP50Ms} | ${s.latencyP99Ms} | ${vsBase} | ${vsPeers.join(' | ')}${vsPeers.length > 0 ? ' | ' : ''}${formatMicros(s.cpuMicrosPerRequest)} | ${cpuVsBase} |`,
    );
  }
  out.push(
    '',
    'Medians over the rounds; each ratio is computed within one round (both servers measured in that round), then the median of',
    'those ratios is shown. "Server CPU µs/req" is the server process\'s user + system CPU time over the requests it answered;',
    '"CPU: × bare Express" is bare Express\'s CPU per request over this row\'s (higher is better, like the req/s ratios). Another',
    'process taking the server core lowers req/s but not the CPU each request costs, so on a shared machine the CPU ratio is the',
    'steadier of the two.',
    '',
  );

  const invalid = run.contenders.filter((c) => c.invalid !== undefined);
  for (const c of invalid) out.push(`**INVALID run: ${c.contender.label}**: ${c.invalid}`, '');

  // Per-round figures, so every ratio above can be checked by hand.
  const rounds = Math.max(0, ...valid.map((c) => c.rounds.length));
  if (rounds > 0) {
    const rh = ['contender', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1} req/s (CPU/req)`), ...(baseline ? Array.from({ length: rounds }, (_, i) => `round ${i + 1} × ${base}`) : [])];
    out.push('<details><summary>Per-round figures</summary>', '', `| ${rh.join(' | ')} |`, `|${rh.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const c of valid) {
      const rates = c.rounds.map((r) => `${formatRate(r.requestsPerSecond)}${r.cpuMicrosPerRequest === undefined ? '' : ` (${formatMicros(r.cpuMicrosPerRequest)} µs)`}`);
      const ratios = baseline && baseline.invalid === undefined ? roundRatios(c, baseline).perRound.map(formatRatio) : [];
      out.push(`| ${c.contender.id} | ${rates.join(' | ')} | ${ratios.join(' | ')} |`);
    }
    out.push('', '</details>', '');
  }

  const spec = scenario.serverStats;
  const withStats = valid.map((c) => ({ c, stats: statsPerUnit(run, c) })).filter((x) => x.stats !== undefined);
  if (spec !== undefined && withStats.length > 0) {
    const sh = ['contender', `× ${spec.perLabel} per round (median)`, ...spec.show.map((x) => `${x.label} per ${spec.perLabel}`)];
    out.push(`Server counters per ${spec.perLabel} (deltas over each measured round, median over rounds):`, '', `| ${sh.join(' | ')} |`, `|${sh.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const { c, stats } of withStats) {
      out.push(`| ${c.contender.id} | ${formatRate(stats?.units ?? Number.NaN)} | ${spec.show.map((x) => fixed(stats?.perUnit[x.counter])).join(' | ')} |`);
    }
    out.push('');
  }
  if (run.extra !== undefined) out.push(run.extra.invalid === undefined ? run.extra.markdown : `**INVALID**: ${run.extra.invalid}`, '');

  const outcomes = evaluateTargets(run);
  const others = otherTargetLines(run);
  if (outcomes.length > 0 || others.length > 0) {
    out.push('Targets:', '');
    for (const o of outcomes) out.push(`- **${o.status}**: ${describeOutcome(o)}`);
    for (const o of others) out.push(`- **${o.status}**: ${o.text}`);
    out.push('');
  }
  for (const note of scenario.notes ?? []) out.push(note, '');
  return out.join('\n');
}

function formatMicros(us: number): string {
  return Number.isFinite(us) ? String(Math.round(us)) : 'n/a';
}
