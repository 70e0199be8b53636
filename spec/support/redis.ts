// Redis for the specs. Never FLUSHes anything: every run writes under its own key prefix and deletes its own
// keys. Standalone: REDIS_URL (default redis://127.0.0.1:6379), or a redis-server started from PATH on a free
// loopback port when nothing answers there. Cluster: three redis-server processes joined by redis-cli.
// Without Redis the suites fail with INSTALL_HINT, never skip.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { StoredEntry } from '../../lib/testing';

export const INSTALL_HINT =
  'Redis is required for the Redis store specs: install it (apt-get install -y redis-server, or brew install redis) so redis-server and redis-cli are on PATH, or set REDIS_URL to a running Redis.';

/** A key prefix no other run (nor another engineer's tests on the same Redis) uses. */
export function uniquePrefix(label: string): string {
  return `keyturn-test:${label}:${process.pid}:${randomBytes(6).toString('hex')}:`;
}

/** A TCP port nothing listens on, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port P whose cluster bus port P + 10000 is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 25000);
    if (taken.has(port) || taken.has(port + 10000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

/** Answers PING within a short time? Never retries, never logs. */
export async function answersPing(options: RedisOptions | string): Promise<boolean> {
  const base: RedisOptions = { lazyConnect: true, connectTimeout: 500, disconnectTimeout: 20, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false };
  const client = typeof options === 'string' ? new Redis(options, base) : new Redis({ ...options, ...base });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A redis-server process this test run owns: start, stop (even kill) and start again on the same port. */
export class RedisServerProcess {
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'keyturn-redis-'));

  constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[] = [],
  ) {}

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs];
    const child = spawn('redis-server', args, { cwd: this.dir, stdio: 'ignore' });
    this.child = child;
    const failed = new Promise<never>((_r, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code === 'ENOENT' ? INSTALL_HINT : `redis-server failed: ${err.message}`)));
      child.once('exit', (code) => reject(new Error(`redis-server on port ${this.port} exited with code ${code}`)));
    });
    failed.catch(() => undefined);
    await Promise.race([failed, waitFor(`redis-server on port ${this.port}`, () => answersPing({ host: '127.0.0.1', port: this.port }))]);
  }

  /** Stops the server: SIGTERM (clean) or SIGKILL (a crash). Waits for the process to be gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: it keeps its connections but answers nothing. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(signal);
  }

  async dispose(): Promise<void> {
    this.signal('SIGCONT');
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A standalone Redis to test against, and how to release it. */
export interface StandaloneRedis {
  /** Options for new clients to the same server. */
  readonly options: RedisOptions;
  /** Opens a new client (tests close it, or call `release`). */
  connect(): Promise<Redis>;
  /** Closes the clients opened with `connect` and stops a server this run started. */
  release(): Promise<void>;
}

/**
 * REDIS_URL (default redis://127.0.0.1:6379) when it answers; otherwise a redis-server started on a free port.
 * Throws {@link INSTALL_HINT} when neither is possible.
 */
export async function standaloneRedis(): Promise<StandaloneRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let server: RedisServerProcess | undefined;
  let options: RedisOptions;
  if (await answersPing(url)) {
    const parsed = new URL(url);
    options = {
      host: parsed.hostname,
      port: Number(parsed.port || 6379),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    };
  } else {
    server = new RedisServerProcess(await freePort());
    try {
      await server.start();
    } catch (err) {
      await server.dispose();
      throw new Error(err instanceof Error && err.message === INSTALL_HINT ? INSTALL_HINT : `${INSTALL_HINT} (${String(err)})`);
    }
    options = { host: '127.0.0.1', port: server.port };
  }
  const clients: Redis[] = [];
  return {
    options,
    async connect() {
      const client = new Redis(options);
      clients.push(client);
      await waitReady(client);
      return client;
    },
    async release() {
      await Promise.all(clients.filter((c) => c.status !== 'end').map((c) => c.quit().catch(() => c.disconnect())));
      await server?.dispose();
    },
  };
}

/** A local Redis Cluster this run started: three masters, each with `replicas` replicas. */
export interface LocalCluster {
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  /** The redis-server processes, to stop or kill one (a failover). */
  readonly servers: readonly RedisServerProcess[];
  connect(): Promise<Cluster>;
  release(): Promise<void>;
}

export interface LocalClusterOptions {
  /** Replicas per master (default 0). */
  readonly replicas?: number;
  /** cluster-node-timeout: how long a silent node takes to be failed over (default 5000). */
  readonly nodeTimeoutMs?: number;
}

/**
 * Starts `redis-server --cluster-enabled yes` processes, joins them with `redis-cli --cluster create`, and
 * waits for cluster_state:ok everywhere and, with replicas, for every replica to be in sync with its master.
 */
export async function localCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const { replicas = 0, nodeTimeoutMs = 5000 } = options;
  const taken = new Set<number>();
  const servers: RedisServerProcess[] = [];
  const clients: Cluster[] = [];
  const release = async () => {
    await Promise.all(clients.filter((c) => c.status !== 'end').map((c) => c.quit().catch(() => c.disconnect())));
    await Promise.all(servers.map((s) => s.dispose()));
  };
  try {
    for (let i = 0; i < 3 * (1 + replicas); i++) {
      const port = await freeClusterPort(taken);
      taken.add(port).add(port + 10000);
      servers.push(
        new RedisServerProcess(port, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs)]),
      );
    }
    await Promise.all(servers.map((s) => s.start()));
    await run('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', String(replicas), '--cluster-yes']);
    for (const s of servers) {
      await waitFor(`cluster_state:ok on ${s.port}`, async () => (await run('redis-cli', ['-p', String(s.port), 'cluster', 'info'])).includes('cluster_state:ok'), 20_000);
    }
    for (const s of servers) {
      await waitFor(
        `replica on ${s.port} in sync`,
        async () => {
          const info = await run('redis-cli', ['-p', String(s.port), 'info', 'replication']);
          return info.includes('role:master') || (info.includes('master_link_status:up') && info.includes('master_sync_in_progress:0'));
        },
        20_000,
      );
    }
  } catch (err) {
    await release();
    throw new Error(err instanceof Error && err.message.startsWith(INSTALL_HINT) ? INSTALL_HINT : `${INSTALL_HINT} (${String(err)})`);
  }
  const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  return {
    nodes,
    servers,
    async connect() {
      const cluster = new Cluster(nodes);
      clients.push(cluster);
      await waitReady(cluster);
      return cluster;
    },
    release,
  };
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new Error(code === 'ENOENT' ? INSTALL_HINT : `${command} ${args.join(' ')} failed: ${stderr || err.message}`));
      } else resolve(stdout);
    });
  });
}

/** Resolves when the client is ready to send commands. */
export function waitReady(client: Redis | Cluster, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis client not ready after ${timeoutMs} ms (status ${client.status})`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Every key under `prefix`, on every master. SCAN, never KEYS. */
export async function keysUnder(client: Redis | Cluster, prefix: string): Promise<string[]> {
  const masters = client instanceof Cluster ? client.nodes('master') : [client];
  const keys: string[] = [];
  for (const node of masters) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys;
}

/** Deletes this run's keys, one DEL per key (they span Cluster slots). Never FLUSH: the Redis is shared. */
export async function deleteKeysUnder(client: Redis | Cluster, prefix: string): Promise<void> {
  if (!prefix.startsWith('keyturn-test:')) throw new Error(`refusing to delete keys outside a test prefix: ${prefix}`);
  for (const key of await keysUnder(client, prefix)) await client.del(key);
}

/** Each key under `prefix` with its value (as text, whatever the type) and remaining TTL in ms. */
export async function dumpKeysUnder(client: Redis | Cluster, prefix: string): Promise<Array<{ key: string; value: string; pttl: number }>> {
  const out: Array<{ key: string; value: string; pttl: number }> = [];
  for (const key of await keysUnder(client, prefix)) {
    const type = await client.type(key);
    let value: string;
    if (type === 'string') value = (await client.get(key)) ?? '';
    else if (type === 'hash') value = JSON.stringify(await client.hgetall(key));
    else if (type === 'set') value = JSON.stringify(await client.smembers(key));
    else value = `<${type}>`;
    out.push({ key, value, pttl: await client.pttl(key) });
  }
  return out;
}

/**
 * What a Redis store holds under `prefix`, in the shape the Store contract's `inspect` hook reports: a key
 * without expiry has `ttlMs: undefined`; one that expired while being listed is left out.
 */
export async function storedEntriesUnder(client: Redis | Cluster, prefix: string): Promise<StoredEntry[]> {
  const entries = await dumpKeysUnder(client, prefix);
  return entries.filter((e) => e.pttl !== -2).map(({ key, value, pttl }) => ({ key, value, ttlMs: pttl === -1 ? undefined : pttl }));
}
