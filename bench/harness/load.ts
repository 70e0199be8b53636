import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Pinning } from './machine';
import type { RequestSpec } from './scenario';

/** What one load run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  totalRequests: number;
  durationSeconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  /** Responses per HTTP status. */
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** How hard and how long to push. */
export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests instead of after `durationSeconds` (used for the warm-up). */
  amount?: number;
}

const WORKER = path.join(__dirname, 'load-worker.js');

/** The autocannon options for one run, also written into RESULTS.md as the exact command. */
export function autocannonOptions(port: number, request: RequestSpec, settings: LoadSettings): Record<string, unknown> {
  return {
    ...(request.hooks === undefined ? {} : { hooks: request.hooks, request }),
    url: `http://127.0.0.1:${port}${request.path}`,
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    connections: settings.connections,
    pipelining: 1,
    ...(settings.amount === undefined ? { duration: settings.durationSeconds } : { amount: settings.amount }),
    timeout: 10,
  };
}

/** Runs autocannon in its own process on the load core and returns its figures. */
export function runLoad(port: number, request: RequestSpec, settings: LoadSettings, pinning: Pinning): Promise<LoadResult> {
  const args = [...pinning.loadPrefix, process.execPath, WORKER, JSON.stringify(autocannonOptions(port, request, settings))];
  return new Promise((resolve, reject) => {
    const child = spawn(args[0] as string, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}: ${stderr.trim()}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as LoadResult);
      } catch {
        reject(new Error(`load generator printed no result: ${stdout}${stderr}`));
      }
    });
  });
}

/**
 * Why a run is invalid, or undefined when every response had the expected status and none failed.
 * A benchmark that counts errors as throughput measures nothing.
 */
export function invalidReason(result: LoadResult, expectStatus: number): string | undefined {
  const problems: string[] = [];
  for (const [code, count] of Object.entries(result.statusCodes)) {
    if (Number(code) !== expectStatus) problems.push(`${count} responses with status ${code}`);
  }
  if (expectStatus >= 200 && expectStatus < 300 && result.non2xx > 0 && problems.length === 0) problems.push(`${result.non2xx} non-2xx responses`);
  if (result.errors > 0) problems.push(`${result.errors} connection errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  if (result.totalRequests === 0) problems.push('no request completed');
  return problems.length > 0 ? `expected only ${expectStatus}: ${problems.join(', ')}` : undefined;
}
