// Instructions per request, counted by valgrind's callgrind: a second measurement of the targets next to req/s
// and CPU time, one that the other tenants of a shared machine cannot move (what still moves it comes from the
// server process itself, above all garbage collection: rounds of 3 000-5 000 requests land within about ±10 % of
// their median, and once the collector's own instructions are taken out, which is printed too, within about ±1 %
// but for a first round that sometimes comes out up to 8 % higher). Each contender's server starts under
// callgrind with instrumentation off, takes a warm-up (15 000 requests by default, as in `npm run bench`: V8 has
// compiled the hot path, and passport-http is past its first 10 000 deprecated `new Buffer()` calls), then
// counts a fixed number of requests, three times.
//
//   npm run bench:instructions -- --only s4-bearer --contenders express-get,express-minimal-bearer,keyturn-bearer-es256
//
// What it counts: user-space instructions of the server process (JavaScript, V8, libuv, OpenSSL), not the kernel
// (sockets, scheduling). Instructions are not time: in the run in bench/findings.md, the extra work of a token
// endpoint took more time per instruction than Express's own request handling, so ratios to bare Express by
// instructions sat well above the ratios by CPU time. It judges nothing: the targets are judged on req/s in
// `npm run bench`; this shows how much more work one server does than another, free of the machine's noise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gcInstructions } from '../harness/callgrind-annotate';
import { invalidReason, runLoad } from '../harness/load';
import { requestFor } from '../harness/runner';
import { startServer } from '../harness/server-process';
import type { Contender, Scenario } from '../harness/scenario';
import { median } from '../harness/stats';
import { scenarios } from '../scenarios';

interface Options {
  only: string[];
  contenders: string[] | undefined;
  requests: number;
  warmup: number;
  rounds: number;
  /** Keep callgrind's dumps here (for `callgrind_annotate`) instead of in a temporary directory removed after. */
  out: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { only: [], contenders: undefined, requests: 3000, warmup: 15_000, rounds: 3, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? '';
    const arg = argv[i];
    if (arg === '--only') options.only = value().split(',');
    else if (arg === '--contenders') options.contenders = value().split(',');
    else if (arg === '--requests') options.requests = Number(value());
    else if (arg === '--warmup') options.warmup = Number(value());
    else if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--out') options.out = path.resolve(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  for (const [name, n] of [['requests', options.requests], ['warmup', options.warmup], ['rounds', options.rounds]] as const) {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer`);
  }
  return options;
}

function callgrindControl(...args: string[]): void {
  const result = spawnSync('callgrind_control', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`callgrind_control ${args.join(' ')}: ${result.stderr || result.stdout}`);
}

/** The newest dump callgrind wrote for `pid` since `before` was listed. */
function newestDump(dir: string, pid: number, before: ReadonlySet<string>): string {
  const dumps = fs.readdirSync(dir).filter((f) => f.startsWith(`${pid}.out.`) && !before.has(f));
  if (dumps.length !== 1) throw new Error(`expected one new callgrind dump for ${pid}, found ${dumps.length}`);
  return path.join(dir, dumps[0] as string);
}

/** Total instructions of a dump: its `summary:` line. */
function dumpTotal(file: string): number {
  const summary = /^summary: (\d+)$/m.exec(fs.readFileSync(file, 'utf8'));
  if (summary === null) throw new Error(`no summary line in ${file}`);
  return Number(summary[1]);
}

/** Instructions of a dump spent in V8's garbage collector (see {@link gcInstructions}). */
function dumpGcInstructions(file: string): number {
  const result = spawnSync('callgrind_annotate', ['--threshold=100', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`callgrind_annotate ${file}: ${result.stderr}`);
  return gcInstructions(result.stdout);
}

/** One counted round, per request. */
interface Round {
  readonly instructions: number;
  readonly gc: number;
}

async function measure(scenario: Scenario, contender: Contender, options: Options, dir: string): Promise<Round[]> {
  const pinning = {
    serverPrefix: ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${dir}/%p.out`],
    loadPrefix: [],
    description: 'callgrind',
  };
  const server = await startServer(contender, { pinning, startTimeoutMs: 300_000 });
  const pid = server.pid;
  try {
    if (pid === undefined) throw new Error(`${contender.id}: no process id`);
    if (options.out !== undefined) console.log(`  ${contender.id}: server pid ${pid}`);
    const request = requestFor(scenario, contender, server);
    const load = (amount: number) => runLoad(server.port, request, { connections: 10, durationSeconds: 600, amount }, pinning);
    await load(options.warmup);
    // The first counted round tends to come out highest (by up to 20 %, with or without 1 000 instrumented
    // requests before it; its cause is not known here): the median of the rounds is what is reported.
    callgrindControl('--instr=on', String(pid));
    const perRequest: Round[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const before = new Set(fs.readdirSync(dir));
      callgrindControl('--zero', String(pid));
      const result = await load(options.requests);
      callgrindControl('--dump', String(pid));
      const invalid = invalidReason(result, scenario.expectStatus);
      if (invalid !== undefined) throw new Error(`${contender.id}: invalid round, ${invalid}`);
      const dump = newestDump(dir, pid, before);
      perRequest.push({ instructions: dumpTotal(dump) / result.totalRequests, gc: dumpGcInstructions(dump) / result.totalRequests });
    }
    return perRequest;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (spawnSync('callgrind_control', ['-h']).status === null) throw new Error('valgrind is not installed (apt-get install valgrind)');
  const selected = scenarios.filter((s) => options.only.length === 0 || options.only.includes(s.id));
  const dir = options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyturn-callgrind-'));
  fs.mkdirSync(dir, { recursive: true });
  console.log(`instructions per request: callgrind, ${options.warmup} warm-up requests, then ${options.rounds} × ${options.requests} counted (10 connections); ${process.version}`);
  for (const scenario of selected) {
    const contenders = scenario.contenders.filter((c) => options.contenders === undefined || options.contenders.includes(c.id));
    if (contenders.length === 0) continue;
    console.log(`\n${scenario.title}`);
    const medians = new Map<string, { instructions: number; withoutGc: number }>();
    const k = (n: number) => Math.round(n / 1000);
    for (const contender of contenders) {
      const rounds = await measure(scenario, contender, options, dir);
      medians.set(contender.id, { instructions: median(rounds.map((r) => r.instructions)), withoutGc: median(rounds.map((r) => r.instructions - r.gc)) });
      console.log(`  ${contender.id}: ${rounds.map((r) => `${k(r.instructions)} (gc ${k(r.gc)})`).join(' / ')} k instructions per request`);
    }
    const baseline = medians.get(scenario.baseline);
    console.log(`\n  ${''.padEnd(60)} ${'all'.padStart(7)} ${'w/o GC'.padStart(8)}  (medians of the rounds, k instructions per request)`);
    for (const contender of contenders) {
      const count = medians.get(contender.id) as { instructions: number; withoutGc: number };
      const ratio =
        baseline === undefined
          ? ''
          : `  ${(baseline.instructions / count.instructions).toFixed(2)} × ${scenario.baseline}; w/o GC ${(baseline.withoutGc / count.withoutGc).toFixed(2)} ×`;
      console.log(`  ${contender.label.padEnd(60)} ${String(k(count.instructions)).padStart(6)} k ${String(k(count.withoutGc)).padStart(7)} k${ratio}`);
    }
  }
  if (options.out === undefined) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`\ncallgrind dumps (<pid>.out.<round>) in ${dir}: callgrind_annotate <file> shows where the instructions went`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
