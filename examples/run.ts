// Runs the examples' self-tests: every examples/<name>/main.ts with EXAMPLE_SELF_TEST=1, one at a time (they
// share the machine with whatever else runs), each through tsx with examples/tsconfig.json and a time limit.
// An example passes when it prints `example <name>: ok`, exits 0 and leaves no process of its own behind.
// From the repo root: npx tsx examples/run.ts [name ...]   (no names: all of them)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 60_000;
// How long a process of the example's group may outlive it: tsx's esbuild helper exits just after it.
const GRACE_MS = 2_000;
const dir = __dirname;
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

interface Result {
  readonly passed: boolean;
  readonly seconds: number;
  readonly reason: string;
  readonly output: string;
}

let running: number | undefined; // the process group of the example now running

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // nothing left in the group
  }
}

/** True when something of the group is still alive after GRACE_MS; it is then killed. */
async function outlives(pgid: number): Promise<boolean> {
  const deadline = Date.now() + GRACE_MS;
  while (signalGroup(pgid, 0)) {
    if (Date.now() >= deadline) return signalGroup(pgid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function run(name: string): Promise<Result> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', tsxLoader, join(dir, name, 'main.ts')], {
    cwd: dir,
    env: { ...process.env, EXAMPLE_SELF_TEST: '1', TSX_TSCONFIG_PATH: join(dir, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a timeout then ends the processes the example started too (resource-service forks one).
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise((resolve) => child.once('close', resolve)); // the output pipes drained
  const result = (reason: string): Result => ({ passed: reason === '', seconds: (Date.now() - started) / 1000, reason, output });

  const pgid = child.pid;
  if (pgid === undefined) {
    const [err] = (await once(child, 'error')) as [Error];
    return result(`could not start: ${err.message}`);
  }
  running = pgid;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(pgid, 'SIGKILL');
  }, TIMEOUT_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  // Anything of the group still alive was started by the example and not closed by it.
  const leftBehind = await outlives(pgid);
  await closed;
  running = undefined;

  if (timedOut) return result(`timed out after ${TIMEOUT_MS / 1000} s`);
  if (code !== 0) return result(signal === null ? `exited with ${code}` : `killed by ${signal}`);
  if (!output.split('\n').includes(`example ${name}: ok`)) return result(`did not print "example ${name}: ok"`);
  return result(leftBehind ? 'left a process running' : '');
}

async function main(): Promise<void> {
  const all = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'main.ts')))
    .map((entry) => entry.name)
    .sort();
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`no such example: ${unknown.join(', ')} (examples: ${all.join(', ')})`);
    process.exitCode = 2;
    return;
  }
  const names = asked.length > 0 ? asked : all;
  // The examples run in their own process groups, so Ctrl-C here must end the one running.
  process.once('SIGINT', () => {
    if (running !== undefined) signalGroup(running, 'SIGKILL');
    process.exit(130);
  });

  let failed = 0;
  for (const name of names) {
    const result = await run(name);
    const time = `${result.seconds.toFixed(1)} s`;
    if (result.passed) {
      console.log(`ok    ${name} (${time})`);
      continue;
    }
    failed += 1;
    console.log(`FAIL  ${name} (${time}): ${result.reason}`);
    console.log(result.output.replace(/^/gm, '      ').trimEnd());
  }
  console.log(`${names.length - failed} of ${names.length} passed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

void main();
