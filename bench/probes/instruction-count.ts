// Instructions per request, counted by valgrind's callgrind: a second measurement of the targets next to req/s
// and CPU time, one that the other tenants of a shared machine cannot move (what still moves it comes from the
// server process itself, most likely garbage collection and V8's compiler threads: rounds of 3 000 requests land
// within about ±10 % of their median). Each contender's server starts under callgrind with instrumentation off, takes a warm-up (15 000
// requests by default, as in `npm run bench`: V8 has compiled the hot path, and passport-http is past its first
// 10 000 deprecated `new Buffer()` calls), then counts a fixed number of requests, three times.
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

/** Total instructions of the newest dump callgrind wrote for `pid` since `before` was listed. */
function newestDumpTotal(dir: string, pid: number, before: ReadonlySet<string>): number {
  const dumps = fs.readdirSync(dir).filter((f) => f.startsWith(`${pid}.out.`) && !before.has(f));
  if (dumps.length !== 1) throw new Error(`expected one new callgrind dump for ${pid}, found ${dumps.length}`);
  const text = fs.readFileSync(path.join(dir, dumps[0] as string), 'utf8');
  const summary = /^summary: (\d+)$/m.exec(text);
  if (summary === null) throw new Error(`no summary line in ${dumps[0]}`);
  return Number(summary[1]);
}

async function measure(scenario: Scenario, contender: Contender, options: Options, dir: string): Promise<number[]> {
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
    const perRequest: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const before = new Set(fs.readdirSync(dir));
      callgrindControl('--zero', String(pid));
      const result = await load(options.requests);
      callgrindControl('--dump', String(pid));
      const invalid = invalidReason(result, scenario.expectStatus);
      if (invalid !== undefined) throw new Error(`${contender.id}: invalid round, ${invalid}`);
      perRequest.push(newestDumpTotal(dir, pid, before) / result.totalRequests);
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
    const medians = new Map<string, number>();
    for (const contender of contenders) {
      const rounds = await measure(scenario, contender, options, dir);
      medians.set(contender.id, median(rounds));
      console.log(`  ${contender.id}: ${rounds.map((n) => Math.round(n / 1000)).join(' / ')} k instructions per request`);
    }
    const baseline = medians.get(scenario.baseline);
    console.log('');
    for (const contender of contenders) {
      const count = medians.get(contender.id) as number;
      const ratio = baseline === undefined ? '' : `  ${(baseline / count).toFixed(2)} × ${scenario.baseline} (by instructions)`;
      console.log(`  ${contender.label.padEnd(60)} ${String(Math.round(count / 1000)).padStart(6)} k${ratio}`);
    }
  }
  if (options.out === undefined) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`\ncallgrind dumps (<pid>.out.<round>) in ${dir}: callgrind_annotate <file> shows where the instructions went`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
