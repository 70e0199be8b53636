import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A demo started the way `npm run demo` starts it, on a free port. */
export interface DemoProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs example-app/server.ts with tsx and waits for its "listening on" line. */
export function startDemo(env: Record<string, string> = {}): Promise<DemoProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'example-app', 'server.ts')], {
    cwd: ROOT,
    env: { ...inheritedEnv(), PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not start within 15 s:\n${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1] as string,
          child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`demo exited with ${code}:\n${output}`), { code, output }));
    });
  });
}

// CI exports REDIS_URL for the Redis suites. A demo started here must not pick it up by accident: it would
// write under the demo's default prefix in a shared Redis, and state from earlier runs (a remembered consent)
// would leak into this one. Specs that want Redis pass REDIS_URL and a unique KEYTURN_REDIS_PREFIX.
function inheritedEnv(): NodeJS.ProcessEnv {
  const { REDIS_URL: _url, KEYTURN_REDIS_PREFIX: _prefix, ...rest } = process.env;
  return rest;
}
