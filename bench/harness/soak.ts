// The soak (`npm run bench -- --soak`): two Keyturn instances (bench/servers/keyturn-soak.ts, each its own process,
// pinned to the server core) on one Redis under a prefix of this run's own, the mixed traffic of
// bench/harness/soak-traffic.ts from the load generator (bench/harness/soak-worker.ts, pinned to the load core),
// and, per minute, the instances' RSS and heap and every kind's latency. The verdict is soak-stats.ts's.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMachine, type Pinning } from './machine';
import type { Contender } from './scenario';
import { displayArg, processCpuSeconds, startServer, type RunningServer } from './server-process';
import { soakVerdict, type KindBucket, type SoakBucket, type SoakVerdict, SOAK_LIMITS } from './soak-stats';
import { isBadKind, SOAK_EXPECTED, SOAK_KIND_LABELS, SOAK_KINDS, SOAK_MIX, type SoakKind } from './soak-traffic';
import type { SoakWorkerConfig } from './soak-worker';

/** How a soak is run. */
export interface SoakSettings {
  readonly pinning: Pinning;
  readonly minutes: number;
  /** Requests offered per second, over both instances. */
  readonly rate: number;
  readonly warmupSeconds: number;
  /** 60 in a real run; a smoke run uses a few seconds so that several buckets and the verdict are exercised. */
  readonly bucketSeconds: number;
  readonly sessions: number;
  readonly maxInFlight: number;
  readonly timeoutMs: number;
  readonly smoke: boolean;
  readonly log: (line: string) => void;
}

/** The defaults of a full soak; bench/README.md lists them. */
export const SOAK_DEFAULTS = Object.freeze({ minutes: 10, rate: 300, warmupSeconds: 30, bucketSeconds: 60, sessions: 64, maxInFlight: 64, timeoutMs: 10_000 });

/** A smoke soak: a few seconds, a few buckets, every code path. */
export const SOAK_SMOKE = Object.freeze({ minutes: 0.1, rate: 100, warmupSeconds: 2, bucketSeconds: 2, sessions: 16, maxInFlight: 32, timeoutMs: 10_000 });

/** Memory of one instance at one moment. */
export interface MemorySample {
  /** RSS at the moment of the sample. */
  readonly rssKiB: number;
  /** Mean and peak of the RSS read every few seconds over the bucket that ends here (RSS is a GC sawtooth). */
  readonly meanKiB?: number;
  readonly peakKiB?: number;
  readonly heapUsedBytes?: number;
}

/** The instances' memory at one moment of the run. */
export interface MemoryPoint {
  /** `ready` (before any load), `warm-up` (its end: the verdict's start), `minute N`, or `end`. */
  readonly at: string;
  readonly instances: readonly (MemorySample | undefined)[];
}

export interface SoakRun {
  readonly settings: Omit<SoakSettings, 'log' | 'pinning'> & { readonly pinning: string };
  readonly keyPrefix: string;
  readonly badAddress: string;
  readonly commands: readonly string[];
  readonly workerCommand: string;
  readonly buckets: readonly SoakBucket[];
  readonly memory: readonly MemoryPoint[];
  /**
   * Per bucket (same order as `buckets`): both instances' CPU microseconds per request sent in it, and the whole
   * machine's busy share of its cores. A p99 that rises while the first stays flat and the second rises is other
   * work on the machine, not the instances slowing down.
   */
  readonly cpuPerBucket: ReadonlyArray<{ readonly microsPerRequest: number; readonly machineBusyShare: number }>;
  readonly launched: number;
  readonly offered: number;
  readonly wallSeconds: number;
  /** CPU seconds used, over the load (warm-up included): both instances, the load generator, the whole machine. */
  readonly cpu: { readonly instances: readonly number[]; readonly worker: number; readonly machineBusy: number; readonly cores: number } | undefined;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly keysDeleted: number | undefined;
  readonly verdict: SoakVerdict;
  /** Set when the soak could not run as planned (an instance did not start, the load generator failed). */
  readonly invalid?: string;
}

const WORKER = path.join(__dirname, 'soak-worker.js');

function instanceContender(name: 'a' | 'b', keyPrefix: string): Contender {
  return { id: `keyturn-soak-${name}`, label: `Keyturn instance ${name.toUpperCase()}`, role: 'keyturn', server: 'keyturn-soak', env: { BENCH_KEY_PREFIX: keyPrefix } };
}

/** VmRSS of a process in KiB, from /proc; undefined where there is none. */
function rssKiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

async function sampleMemory(at: string, servers: readonly RunningServer[], between: readonly (readonly number[])[] = []): Promise<MemoryPoint> {
  const instances = await Promise.all(
    servers.map(async (server, i): Promise<MemorySample | undefined> => {
      const rss = rssKiB(server.pid);
      let heapUsedBytes: number | undefined;
      try {
        const response = await fetch(`http://127.0.0.1:${server.port}/__bench/memory`);
        heapUsedBytes = ((await response.json()) as { heapUsed?: number }).heapUsed;
      } catch {
        heapUsedBytes = undefined;
      }
      if (rss === undefined) return undefined;
      const seen = between[i] ?? [];
      const spread = seen.length === 0 ? {} : { meanKiB: Math.round(seen.reduce((a, b) => a + b, 0) / seen.length), peakKiB: Math.max(...seen) };
      return { rssKiB: rss, ...spread, ...(heapUsedBytes === undefined ? {} : { heapUsedBytes }) };
    }),
  );
  return { at, instances };
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Runs the soak: two instances, the load, memory per bucket; always stops the instances and deletes the run's keys. */
export async function runSoak(settings: SoakSettings): Promise<SoakRun> {
  const keyPrefix = `keyturn-soak:${process.pid}-${randomBytes(4).toString('hex')}:`;
  const badAddress = process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1';
  const servers: RunningServer[] = [];
  const buckets: SoakBucket[] = [];
  const memory: MemoryPoint[] = [];
  const cpuPerBucket: Array<{ microsPerRequest: number; machineBusyShare: number }> = [];
  let invalid: string | undefined;
  let launched = 0;
  let offered = 0;
  let wallSeconds = 0;
  let cpu: SoakRun['cpu'];
  let workerCommand = '';
  const loadStart = os.loadavg()[0] ?? 0;
  try {
    // One after the other, as the scenarios start theirs: the second finds the key ring the first one wrote.
    for (const name of ['a', 'b'] as const) {
      servers.push(await startServer(instanceContender(name, keyPrefix), { pinning: settings.pinning, ...(settings.smoke ? { env: { BENCH_SMOKE: '1' } } : {}) }));
    }
    memory.push(await sampleMemory('ready', servers));
    const config: SoakWorkerConfig = {
      ports: servers.map((s) => s.port),
      rate: settings.rate,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.minutes * 60,
      bucketSeconds: settings.bucketSeconds,
      sessions: settings.sessions,
      maxInFlight: settings.maxInFlight,
      timeoutMs: settings.timeoutMs,
      badAddress,
    };
    const argv = [...settings.pinning.loadPrefix, process.execPath, WORKER, JSON.stringify(config)];
    workerCommand = argv.map(displayArg).map((a) => (a.startsWith('{') ? `'${a}'` : a)).join(' ');
    const cpuBefore = servers.map((s) => s.cpuSeconds() ?? Number.NaN);
    const machineBefore = machineJiffies();
    const started = Date.now();
    // RSS every few seconds, gathered per bucket: one reading a minute would catch the sawtooth anywhere.
    let between: number[][] = servers.map(() => []);
    const sampler = setInterval(() => servers.forEach((server, i) => {
      const rss = rssKiB(server.pid);
      if (rss !== undefined) between[i]?.push(rss);
    }), Math.max(250, (settings.bucketSeconds * 1000) / 12));
    let lastCpu = sumCpu(servers);
    let lastMachine = machineBefore;
    const result = await runWorker(argv, async (bucket) => {
      buckets.push(bucket);
      const cpuNow = sumCpu(servers);
      const machineNow = machineJiffies();
      cpuPerBucket.push({
        microsPerRequest: bucket.sent > 0 ? ((cpuNow - lastCpu) * 1e6) / bucket.sent : Number.NaN,
        machineBusyShare: machineNow && lastMachine ? (machineNow.busy - lastMachine.busy) / (machineNow.total - lastMachine.total) : Number.NaN,
      });
      lastCpu = cpuNow;
      lastMachine = machineNow;
      const seen = between;
      between = servers.map(() => []);
      memory.push(await sampleMemory(bucketName(bucket, settings.bucketSeconds), servers, seen));
      settings.log(`  ${bucketLine(bucket, settings.bucketSeconds)}`);
    });
    clearInterval(sampler);
    wallSeconds = (Date.now() - started) / 1000;
    const machineAfter = machineJiffies();
    const cpuAfter = servers.map((s) => s.cpuSeconds() ?? Number.NaN);
    launched = result.done.launched;
    offered = result.done.offered;
    cpu = {
      instances: cpuAfter.map((after, i) => after - (cpuBefore[i] as number)),
      worker: result.workerCpuSeconds ?? Number.NaN,
      machineBusy: machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / 100 : Number.NaN,
      cores: os.cpus().length,
    };
    memory.push(await sampleMemory('end', servers));
  } catch (err) {
    invalid = err instanceof Error ? err.message : String(err);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  const keysDeleted = await deleteKeys(keyPrefix).catch((err: unknown) => {
    invalid ??= `could not delete the soak's keys under ${keyPrefix}: ${err instanceof Error ? err.message : String(err)}`;
    return undefined;
  });
  // The first and the last measured bucket's mean RSS: the warm-up's end still has the JIT and the caches filling.
  const minutes = memory.filter((m) => m.at !== 'ready' && m.at !== 'warm-up' && m.at !== 'end');
  const rss = servers.flatMap((s, i) => {
    const start = minutes[0]?.instances[i]?.meanKiB;
    const end = minutes[minutes.length - 1]?.instances[i]?.meanKiB;
    return start === undefined || end === undefined ? [] : [{ instance: s.contender.label, startKiB: start, endKiB: end }];
  });
  if (invalid === undefined && buckets.every((b) => Object.values(b.kinds).every((k) => (k?.count ?? 0) === 0))) invalid = 'no request got a response';
  return {
    settings: { ...settings, pinning: settings.pinning.description },
    keyPrefix,
    badAddress,
    commands: servers.map((s) => s.command),
    workerCommand,
    buckets,
    memory,
    cpuPerBucket,
    launched,
    offered,
    wallSeconds,
    cpu,
    loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
    keysDeleted,
    verdict: soakVerdict(buckets, rss),
    ...(invalid === undefined ? {} : { invalid }),
  };
}

function sumCpu(servers: readonly RunningServer[]): number {
  return servers.reduce((total, s) => total + (s.cpuSeconds() ?? Number.NaN), 0);
}

async function deleteKeys(prefix: string): Promise<number> {
  // Loaded only here, as the Redis servers do: the other scenarios' harness never needs ioredis.
  const { benchRedis, deleteBenchKeys } = await import('../servers/redis-bench');
  const client = benchRedis();
  try {
    return await deleteBenchKeys(client, prefix);
  } finally {
    await client.quit();
  }
}

function runWorker(argv: readonly string[], onBucket: (bucket: SoakBucket) => Promise<void>): Promise<{ done: { launched: number; offered: number }; workerCpuSeconds: number | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    let done: { launched: number; offered: number } | undefined;
    let workerCpuSeconds: number | undefined;
    let chain = Promise.resolve();
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('BUCKET ')) {
          const bucket = JSON.parse(line.slice(7)) as SoakBucket;
          chain = chain.then(() => onBucket(bucket));
        } else if (line.startsWith('DONE ')) {
          done = JSON.parse(line.slice(5)) as { launched: number; offered: number };
          // Read before the process exits and its /proc entry goes.
          workerCpuSeconds = child.pid === undefined ? undefined : processCpuSeconds(child.pid);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      chain.then(() => {
        if (code !== 0 || done === undefined) reject(new Error(`load generator exited with ${code}: ${stderr.trim()}`));
        else resolve({ done, workerCpuSeconds });
      }, reject);
    });
  });
}

function requestsPerSecond(bucket: SoakBucket): number {
  return bucket.seconds > 0 ? bucket.sent / bucket.seconds : Number.NaN;
}

function bucketName(bucket: SoakBucket, bucketSeconds: number): string {
  if (bucket.index < 0) return 'warm-up';
  return bucketSeconds === 60 ? `minute ${bucket.index + 1}` : `bucket ${bucket.index + 1} (${bucketSeconds} s)`;
}

function bucketLine(bucket: SoakBucket, bucketSeconds: number): string {
  const kinds = SOAK_KINDS.filter((k) => !isBadKind(k)).map((k) => `${k} ${fmt(bucket.kinds[k]?.p99Ms)}`).join(', ');
  const wrong = Object.values(bucket.kinds).reduce((n, k) => n + sumOf(k?.unexpected) + sumOf(k?.transportErrors), 0);
  return `${bucketName(bucket, bucketSeconds)}: ${Math.round(requestsPerSecond(bucket))} req/s; p99 ms ${kinds}; ${wrong === 0 ? 'no errors' : `${wrong} ERRORS`}`;
}

function sumOf(counts: Readonly<Record<string, number>> | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
}

function fmt(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? 'n/a' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function mib(kib: number | undefined): string {
  return kib === undefined ? 'n/a' : (kib / 1024).toFixed(1);
}

/** The terminal's summary. */
export function soakConsole(run: SoakRun): string {
  const lines = [`\nSoak: two Keyturn instances on one Redis, ${run.settings.minutes} min at ${run.settings.rate} req/s offered`];
  if (run.invalid !== undefined) lines.push(`  INVALID: ${run.invalid}`);
  lines.push(`  sent ${run.launched} of ${run.offered} offered requests`);
  for (const [i, label] of ['A', 'B'].entries()) {
    const points = run.memory.map((m) => `${m.at} ${mib(m.instances[i]?.rssKiB)}`).join(', ');
    lines.push(`  instance ${label} RSS MiB: ${points}`);
  }
  lines.push(`  ${run.verdict.line}`);
  return lines.join('\n');
}

/** Every bucket's figures of one kind, added up. */
function kindTotals(run: SoakRun, kind: SoakKind): { count: number; statuses: Record<string, number>; unexpected: number; transport: number } {
  const statuses: Record<string, number> = {};
  let count = 0;
  let unexpected = 0;
  let transport = 0;
  for (const b of run.buckets) {
    const k: KindBucket | undefined = b.kinds[kind];
    if (k === undefined) continue;
    count += k.count;
    unexpected += sumOf(k.unexpected);
    transport += sumOf(k.transportErrors);
    for (const [status, n] of Object.entries(k.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  }
  return { count, statuses, unexpected, transport };
}

/** bench/SOAK.md. */
export function soakMarkdown(run: SoakRun, generatedAt: string, command: string, notes: readonly string[] = []): string {
  const m = describeMachine();
  const s = run.settings;
  const v = run.verdict;
  const cpuShare = (seconds: number) => (run.wallSeconds > 0 ? `${((seconds / run.wallSeconds) * 100).toFixed(0)} %` : 'n/a');
  const out: string[] = [
    '# Soak results',
    '',
    `Generated by \`${command}\` on ${generatedAt} UTC. Do not edit by hand: run it again. The method is in`,
    '[README.md](README.md#the-soak).',
    '',
    `**Verdict: ${v.line}.**`,
    '',
    ...(run.invalid === undefined ? [] : [`**INVALID run**: ${run.invalid}`, '']),
    '## Machine and load',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; ${m.memoryGiB} GiB memory; ${m.os}; Node ${m.node}`,
    `- Pinning: ${s.pinning} (both instances share the server core)`,
    `- ${s.minutes} min measured after a ${s.warmupSeconds} s warm-up of the same traffic, ${s.rate} requests per second offered (open loop, at most ${s.maxInFlight} in flight, ${s.sessions} live token pairs); ` +
      `${run.launched.toLocaleString('en-US')} of ${run.offered.toLocaleString('en-US')} offered requests sent (${run.offered > 0 ? ((run.launched / run.offered) * 100).toFixed(1) : 'n/a'} %) in ${run.wallSeconds.toFixed(0)} s.`,
    ...notes.map((note) => `- ${note}`),
    run.cpu === undefined
      ? '- CPU use: not measured (no /proc).'
      : `- CPU over the load (share of one core): instance A ${cpuShare(run.cpu.instances[0] ?? Number.NaN)}, instance B ${cpuShare(run.cpu.instances[1] ?? Number.NaN)}, ` +
        `load generator ${cpuShare(run.cpu.worker)}; the whole machine ${cpuShare(run.cpu.machineBusy)} of ${run.cpu.cores * 100} % ` +
        `(the rest: Redis, this harness and everything else running). 1-minute load average ${run.loadAverage.start.toFixed(2)} at the start, ${run.loadAverage.end.toFixed(2)} at the end.`,
    `- Redis: one server at \`REDIS_URL\` (default 127.0.0.1:6379), every key under \`${run.keyPrefix}\` (this run's own prefix; nothing is FLUSHed); ` +
      `${run.keysDeleted === undefined ? 'the keys could NOT be deleted' : `${run.keysDeleted.toLocaleString('en-US')} keys deleted after both instances stopped`}.`,
    '',
    '## What ran',
    '',
    'Two Keyturn instances, each its own process (bench/servers/keyturn-soak.ts): the token endpoint (`client_credentials` and',
    '`refresh_token`, the client secret a scrypt hash), `POST /oauth2/introspect`, and `GET /api/accounts` behind `requireBearer`;',
    'ES256 JWT access tokens signed with the key ring both instances keep in Redis, the lockout (`lockout: {}`) and a rate limit on',
    '(far above the traffic, so it costs its round trip and never answers). The load generator (bench/harness/soak-worker.ts) sends',
    'each request to the next instance in turn, so a token issued by one is refreshed, checked and introspected at the other. The good',
    `requests come from 127.0.0.1, the bad ones from ${run.badAddress}.`,
    '',
    '| kind | share | request | expected | from |',
    '| --- | ---: | --- | --- | --- |',
    ...SOAK_KINDS.map((k) => `| ${k} | ${SOAK_MIX[k]} % | ${SOAK_KIND_LABELS[k]} | ${SOAK_EXPECTED[k].join(' or ')} | ${isBadKind(k) ? run.badAddress : '127.0.0.1'} |`),
    '',
    'An answer is unexpected when its status is not in "expected", or when its body is not what the kind must get: a 200 must carry the',
    'token (both tokens for token and refresh), the resource, or `active` as it should be; a 4xx must be a JSON OAuth error. A transport',
    `error is a request that got no response: a connection error, or no answer within ${(s.timeoutMs / 1000).toFixed(0)} s.`,
    '',
    '## Errors',
    '',
    '| kind | responses | statuses | unexpected answers | transport errors |',
    '| --- | ---: | --- | ---: | ---: |',
    ...SOAK_KINDS.map((k) => {
      const t = kindTotals(run, k);
      const statuses = Object.entries(t.statuses).map(([code, n]) => `${code} × ${n.toLocaleString('en-US')}`).join(', ');
      return `| ${k} | ${t.count.toLocaleString('en-US')} | ${statuses} | ${t.unexpected} | ${t.transport} |`;
    }),
    '',
    'The warm-up is included.',
    '',
    '## Memory per instance',
    '',
    '| at | A: RSS MiB | A: mean, peak over the minute | A: heap used MiB | B: RSS MiB | B: mean, peak over the minute | B: heap used MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...run.memory.map((p) => `| ${p.at} | ${[0, 1].map((i) => {
      const x = p.instances[i];
      return `${mib(x?.rssKiB)} | ${x?.meanKiB === undefined ? '' : `${mib(x.meanKiB)}, ${mib(x.peakKiB)}`} | ${x?.heapUsedBytes === undefined ? 'n/a' : (x.heapUsedBytes / 2 ** 20).toFixed(1)}`;
    }).join(' | ')} |`),
    '',
    'RSS (VmRSS) is read when an instance is ready, every 5 s during the load, at the end of each minute once its last response is',
    "in, and at the end; heap used comes from the instance's `process.memoryUsage()`. RSS moves with the garbage collector by tens of",
    `MiB within a minute, so "RSS flat" compares means: each instance's mean RSS over the last minute with its mean over the first`,
    `minute after the warm-up (before that, the JIT and the bounded caches are still filling), at most +${(SOAK_LIMITS.rssGrowth * 100).toFixed(0)} %.`,
    '',
    '## p99 latency per minute, ms',
    '',
    `| ${['minute', 'req/s', 'instances\' CPU µs/req', 'machine busy', ...SOAK_KINDS].join(' | ')} |`,
    `|${['minute', 'req/s', 'cpu', 'busy', ...SOAK_KINDS].map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...run.buckets.flatMap((b, i) => {
      if (b.index < 0) return [];
      const cpu = run.cpuPerBucket[i];
      const cpuCells = `${cpu === undefined || !Number.isFinite(cpu.microsPerRequest) ? 'n/a' : Math.round(cpu.microsPerRequest)} | ${cpu === undefined || !Number.isFinite(cpu.machineBusyShare) ? 'n/a' : `${Math.round(cpu.machineBusyShare * 100)} %`}`;
      return [`| ${b.index + 1}${b.seconds !== s.bucketSeconds ? ` (${b.seconds.toFixed(0)} s)` : ''} | ${Math.round(requestsPerSecond(b))} | ${cpuCells} | ${SOAK_KINDS.map((k) => fmt(b.kinds[k]?.p99Ms)).join(' | ')} |`];
    }),
    '',
    '"instances\' CPU µs/req" is both instances\' CPU time (user + system) over the minute divided by the requests sent in it: what',
    'a request costs them. "machine busy" is the share of all cores that were busy over the minute, whoever used them. A p99 that',
    'rises while the first stays flat is other work on the machine, not the instances slowing down.',
    '',
    `Latency from the request's write to its response's end, in the load generator. "p99 stable" judges each kind whose minutes have at`,
    `least ${SOAK_LIMITS.minSamples} responses each: no minute's p99 above ${SOAK_LIMITS.p99Factor} × that kind's median minute p99.` +
      (v.p99NotJudged.length === 0 ? '' : ` Not judged (too few responses per minute): ${v.p99NotJudged.join(', ')}.`),
    '',
    '<details><summary>p50 and responses per minute</summary>',
    '',
    `| ${['minute', ...SOAK_KINDS.map((k) => `${k} p50 (n)`)].join(' | ')} |`,
    `|${['minute', ...SOAK_KINDS].map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...run.buckets.map((b) => `| ${b.index < 0 ? 'warm-up' : b.index + 1} | ${SOAK_KINDS.map((k) => `${fmt(b.kinds[k]?.p50Ms)} (${b.kinds[k]?.count ?? 0})`).join(' | ')} |`),
    '',
    '</details>',
    '',
    '## Commands',
    '',
    '```sh',
    command,
    '# which compiles, then starts the two instances, one after the other:',
    ...run.commands,
    '# and the load generator (its JSON: ports, rate, durations):',
    run.workerCommand,
    '```',
    '',
  ];
  return out.join('\n');
}
