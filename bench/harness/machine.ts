import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** Command prefixes that pin the server and the load generator to different cores. */
export interface Pinning {
  readonly serverPrefix: readonly string[];
  readonly loadPrefix: readonly string[];
  /** How the run was pinned, for RESULTS.md. */
  readonly description: string;
}

/**
 * Pins the server to core 0 and autocannon to core 1 with `taskset` when there are at least two cores and
 * taskset works; otherwise runs unpinned and says so. On a 2-core machine an unpinned load generator
 * steals CPU from the server and the figures mean less.
 */
export function detectPinning(): Pinning {
  const cores = os.cpus().length;
  if (process.platform !== 'linux' || cores < 2) {
    return { serverPrefix: [], loadPrefix: [], description: `not pinned (${process.platform}, ${cores} cores)` };
  }
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) return { serverPrefix: [], loadPrefix: [], description: 'not pinned (taskset unavailable)' };
  return {
    serverPrefix: ['taskset', '-c', '0'],
    loadPrefix: ['taskset', '-c', '1'],
    description: 'server on core 0 (`taskset -c 0`), load generator on core 1 (`taskset -c 1`)',
  };
}

/** Machine facts for RESULTS.md. */
export function describeMachine(): { cpu: string; cores: number; memoryGiB: number; node: string; os: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
