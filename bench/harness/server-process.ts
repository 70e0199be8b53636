import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Pinning } from './machine';
import type { Contender } from './scenario';

/** A running scenario server. */
export interface RunningServer {
  readonly contender: Contender;
  readonly port: number;
  /** Headers the server asked the load generator to send (e.g. its own test token). */
  readonly headers: Record<string, string>;
  /** The request body the server asked for (e.g. an introspection request naming its own token). */
  readonly body?: string;
  /** The command line, for RESULTS.md. */
  readonly command: string;
  /** The server's process id (`taskset` and `valgrind` run it in their own process). */
  readonly pid: number | undefined;
  /** CPU seconds (user + system) the server process has used so far; undefined where /proc is missing. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly pinning: Pinning;
  /** Directory for `node --cpu-prof` output, when this server is being profiled. */
  readonly cpuProfileDir?: string;
  readonly startTimeoutMs?: number;
  /** Extra environment for every server (e.g. `BENCH_SMOKE=1`, which makes seeding servers seed less). */
  readonly env?: Readonly<Record<string, string>>;
}

const SERVERS = path.join(__dirname, '..', 'servers');
/** The repository root (this file runs from bench/.build/bench/harness/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** An argument as a reader would type it: `node`, paths relative to the repository root. */
export function displayArg(arg: string): string {
  if (arg === process.execPath) return 'node';
  return path.isAbsolute(arg) ? path.relative(REPO_ROOT, arg) : arg;
}

/** The server module's compiled path. */
export function serverScript(contender: Contender): string {
  return path.join(SERVERS, `${contender.server}.js`);
}

/**
 * Starts one contender's server in its own process, pinned to the server core, and waits for its
 * `READY {...}` line. Rejects, with the server's stderr, if it exits or stays silent.
 */
export function startServer(contender: Contender, options: StartOptions): Promise<RunningServer> {
  const nodeArgs = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir, '--cpu-prof-name', `${contender.id}.cpuprofile`];
  const argv = [...options.pinning.serverPrefix, process.execPath, ...nodeArgs, serverScript(contender)];
  const env = { ...process.env, NODE_ENV: 'production', ...options.env, ...contender.env };
  const envText = Object.entries({ NODE_ENV: 'production', ...contender.env }).map(([k, v]) => `${k}=${v}`).join(' ');
  const command = `${envText} ${argv.map(displayArg).join(' ')}`;

  const startTimeoutMs = options.startTimeoutMs ?? (contender.startTimeoutSeconds ?? 30) * 1000;
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${contender.id}: server did not start within ${startTimeoutMs} ms\n${stderr}`));
    }, startTimeoutMs);

    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready) return;
      stdout += chunk.toString();
      const line = /^READY (.*)$/m.exec(stdout);
      if (line === null) return;
      ready = true;
      clearTimeout(timer);
      const info = JSON.parse(line[1] as string) as { port: number; headers: Record<string, string>; body?: string };
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      resolve({
        contender,
        port: info.port,
        headers: info.headers,
        ...(info.body === undefined ? {} : { body: info.body }),
        command,
        pid: child.pid,
        cpuSeconds: () => (child.pid === undefined ? undefined : processCpuSeconds(child.pid)),
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          // Long enough for a server to delete a million seeded Redis keys (scenario 5) before it exits.
          const killer = setTimeout(() => child.kill('SIGKILL'), contender.stopTimeoutSeconds === undefined ? 5000 : contender.stopTimeoutSeconds * 1000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${contender.id}: server exited (${code ?? signal}) before it was ready\n${stderr}`));
    });
  });
}

// Linux reports a process's CPU time in clock ticks; 100 per second on every Linux this runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds of a process, from /proc/<pid>/stat. `taskset` execs node, so the child's pid is
 * the server's. CPU time per request is steadier than req/s on a shared machine: another process taking the
 * core lowers req/s but not the CPU each request costs.
 */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
