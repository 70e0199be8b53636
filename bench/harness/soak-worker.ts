// The soak's load generator, run as its own process on the load core (bench/harness/soak.ts). Takes one JSON
// argument (SoakWorkerConfig) and offers the mix of bench/harness/soak-traffic.ts at a fixed rate, open loop,
// each request to the next instance in turn, so a token issued by one instance is refreshed, checked and
// introspected at the other. Prints `BUCKET {...}` at the end of the warm-up and of every bucket (a minute in a
// full run), then `DONE {...}`.
//
// Good traffic comes from 127.0.0.1 and the bad requests from 127.0.0.2 (loopback, Linux): guards keyed on the
// requester's address must not let the bad requests' address stand for the good client's.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { BASIC_HEADER, CLIENT_ID, RESOURCE_PATH, SCOPE, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';
import { BucketAccumulator, type SoakOutcome } from './soak-stats';
import { checkSoakBody, isBadKind, SOAK_EXPECTED, SOAK_KINDS, SOAK_MIX, type SoakKind } from './soak-traffic';

/** What the harness tells the worker. */
export interface SoakWorkerConfig {
  readonly ports: readonly number[];
  /** Requests offered per second, over all instances. */
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly bucketSeconds: number;
  /** Token pairs kept live and used by the good traffic. */
  readonly sessions: number;
  /** Most requests in flight at once; a launch due beyond it waits (the achieved rate then falls short). */
  readonly maxInFlight: number;
  readonly timeoutMs: number;
  /** The address the bad requests come from (127.0.0.2 on Linux). */
  readonly badAddress: string;
}

interface Session {
  access?: string;
  refresh?: string;
  /** A refresh token is single-use: one rotation in flight per session. */
  refreshing: boolean;
}

interface Planned {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly onOk?: (body: string) => void;
  readonly onDone?: () => void;
}

const FORM = 'application/x-www-form-urlencoded';
// Aimed at the good traffic's own client: the guards must keep the stranger's failures from touching it.
const WRONG_SECRET_BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:not-the-secret`).toString('base64')}`;

const config = JSON.parse(process.argv[2] ?? '{}') as SoakWorkerConfig;
// An agent without `timeout` keeps idle sockets forever and ignores the server's `Keep-Alive: timeout=5` hint, so a
// socket idle for 5 s can be picked just as the server closes it: an ECONNRESET that is the client's race, not an
// error of the server. With `timeout` set, Node closes an idle socket 1 s before the hinted timeout.
const agentOptions = { keepAlive: true, maxSockets: config.maxInFlight, timeout: config.timeoutMs };
const goodAgent = new http.Agent({ ...agentOptions, localAddress: '127.0.0.1' });
const badAgent = new http.Agent({ ...agentOptions, localAddress: config.badAddress });
const sessions: Session[] = Array.from({ length: config.sessions }, () => ({ refreshing: false }));
const cumulative = SOAK_KINDS.reduce<number[]>((acc, kind) => [...acc, (acc[acc.length - 1] ?? 0) + SOAK_MIX[kind]], []);
let nextInstance = 0;
let nextSession = 0;
let inFlight = 0;

function pickKind(): SoakKind {
  const x = Math.random() * (cumulative[cumulative.length - 1] as number);
  return SOAK_KINDS[cumulative.findIndex((c) => x < c)] as SoakKind;
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function liveSession(): Session | undefined {
  for (let tries = 0; tries < sessions.length; tries++) {
    const s = sessions[Math.floor(Math.random() * sessions.length)] as Session;
    if (s.access !== undefined) return s;
  }
  return sessions.find((s) => s.access !== undefined);
}

/** A session with a refresh token and no rotation in flight, scanning from a random one. */
function idleRefreshable(): Session | undefined {
  const start = Math.floor(Math.random() * sessions.length);
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[(start + i) % sessions.length] as Session;
    if (!s.refreshing && s.refresh !== undefined) return s;
  }
  return undefined;
}

function keep(session: Session) {
  return (body: string) => {
    const json = JSON.parse(body) as { access_token: string; refresh_token: string };
    session.access = json.access_token;
    session.refresh = json.refresh_token;
  };
}

/** The request for a kind; a kind that needs a live token and finds none becomes a token request. */
function plan(kind: SoakKind): [SoakKind, Planned] {
  const basic = { Authorization: BASIC_HEADER, 'Content-Type': FORM };
  switch (kind) {
    case 'token': {
      // The next session not mid-rotation gets the new pair; its old family is simply abandoned, as a client does.
      let session = sessions[nextSession++ % sessions.length] as Session;
      for (let i = 0; i < sessions.length && session.refreshing; i++) session = sessions[nextSession++ % sessions.length] as Session;
      if (session.refreshing) return plan('bearer');
      return [kind, { method: 'POST', path: TOKEN_PATH, headers: basic, body: TOKEN_FORM_BODY, onOk: keep(session) }];
    }
    case 'refresh': {
      const session = idleRefreshable();
      if (session === undefined) return plan('token');
      session.refreshing = true;
      const token = session.refresh as string;
      return [kind, {
        method: 'POST', path: TOKEN_PATH, headers: basic, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`,
        onOk: keep(session),
        onDone: () => {
          session.refreshing = false;
          // A rotation that failed leaves the token spent or unknown; the next token request refills the session.
          if (session.refresh === token) session.refresh = undefined;
        },
      }];
    }
    case 'bearer': {
      const session = liveSession();
      if (session === undefined) return plan('token');
      return [kind, { method: 'GET', path: RESOURCE_PATH, headers: { Authorization: `Bearer ${session.access as string}` } }];
    }
    case 'introspect': {
      const session = liveSession();
      if (session === undefined) return plan('token');
      return [kind, { method: 'POST', path: '/oauth2/introspect', headers: basic, body: `token=${encodeURIComponent(session.access as string)}` }];
    }
    case 'bad-secret':
      return [kind, { method: 'POST', path: TOKEN_PATH, headers: { Authorization: WRONG_SECRET_BASIC, 'Content-Type': FORM }, body: `grant_type=client_credentials&scope=${SCOPE}` }];
    case 'malformed':
      return [kind, Math.random() < 0.5
        ? { method: 'POST', path: TOKEN_PATH, headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"client_credentials",' }
        : { method: 'POST', path: TOKEN_PATH, headers: { 'Content-Type': FORM }, body: 'grant_type=client_credentials&grant_type=refresh_token' }];
    case 'unknown-bearer':
      return [kind, { method: 'GET', path: RESOURCE_PATH, headers: { Authorization: `Bearer ${randomToken()}` } }];
    case 'unknown-refresh':
      return [kind, { method: 'POST', path: TOKEN_PATH, headers: basic, body: `grant_type=refresh_token&refresh_token=${randomToken()}` }];
    case 'unknown-introspect':
      return [kind, { method: 'POST', path: '/oauth2/introspect', headers: basic, body: `token=${randomToken()}` }];
  }
}

/** A bucket being filled, then waiting for the responses of the requests sent in it. */
interface OpenBucket {
  readonly accumulator: BucketAccumulator;
  readonly index: number;
  readonly startMs: number;
  readonly seconds: number;
  pending: number;
  closed: boolean;
  emitted: boolean;
}

function openBucket(index: number, startMs: number, seconds: number): OpenBucket {
  return { accumulator: new BucketAccumulator(), index, startMs, seconds, pending: 0, closed: false, emitted: false };
}

let current: OpenBucket;
const buckets: OpenBucket[] = [];
let allEmitted: () => void = () => undefined;

/** Reports a closed bucket once every request sent in it has its outcome (a response, an error or the timeout). */
function emitIfComplete(b: OpenBucket): void {
  if (!b.closed || b.pending > 0 || b.emitted) return;
  b.emitted = true;
  emit('BUCKET', b.accumulator.flush(b.index, b.startMs, b.seconds));
  if (buckets.every((x) => x.emitted)) allEmitted();
}

function send(kind: SoakKind, planned: Planned): void {
  const port = config.ports[nextInstance++ % config.ports.length] as number;
  const owner = current;
  owner.accumulator.countSent();
  owner.pending++;
  inFlight++;
  const started = performance.now();
  let settled = false;
  const settle = (outcome: SoakOutcome) => {
    if (settled) return;
    settled = true;
    inFlight--;
    owner.pending--;
    // An outcome belongs to the bucket its request was sent in.
    owner.accumulator.record(kind, outcome);
    planned.onDone?.();
    emitIfComplete(owner);
  };
  const headers = planned.body === undefined ? planned.headers : { ...planned.headers, 'Content-Length': String(Buffer.byteLength(planned.body)) };
  const request = http.request({ host: '127.0.0.1', port, method: planned.method, path: planned.path, headers, agent: isBadKind(kind) ? badAgent : goodAgent }, (response) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', (err: NodeJS.ErrnoException) => settle({ transportError: err.code ?? err.message }));
    response.on('end', () => {
      const latencyMs = performance.now() - started;
      const status = response.statusCode ?? 0;
      const body = Buffer.concat(chunks).toString();
      const unexpected = SOAK_EXPECTED[kind].includes(status) ? checkSoakBody(kind, status, body) : `status ${status}`;
      if (unexpected === undefined && status === 200) planned.onOk?.(body);
      settle({ latencyMs, status, ...(unexpected === undefined ? {} : { unexpected }) });
    });
  });
  request.setTimeout(config.timeoutMs, () => {
    settle({ transportError: 'timeout' });
    request.destroy();
  });
  // Whether the socket had carried a request before tells a keep-alive race from a server that drops connections.
  request.on('error', (err: NodeJS.ErrnoException) => settle({ transportError: `${err.code ?? err.message}${request.reusedSocket ? ' (reused socket)' : ''}` }));
  request.end(planned.body);
}

function emit(tag: 'BUCKET' | 'DONE', value: unknown): void {
  process.stdout.write(`${tag} ${JSON.stringify(value)}\n`);
}

/** The buckets' ends, in ms from the start: the warm-up's (when there is one), then every bucket's; the last ends the run. */
function schedule(): Array<{ index: number; startMs: number; endMs: number }> {
  const warmupMs = config.warmupSeconds * 1000;
  const runMs = config.durationSeconds * 1000;
  const out = warmupMs > 0 ? [{ index: -1, startMs: -warmupMs, endMs: 0 }] : [];
  for (let i = 0, start = 0; start < runMs; i++, start += config.bucketSeconds * 1000) {
    out.push({ index: i, startMs: start, endMs: Math.min(runMs, start + config.bucketSeconds * 1000) });
  }
  return out.map((b) => ({ ...b, startMs: b.startMs + warmupMs, endMs: b.endMs + warmupMs }));
}

/** One token request outside the measurement; rejects unless it is a 200 with both tokens. */
function prime(port: number, session: Session): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: TOKEN_PATH, agent: goodAgent, headers: { Authorization: BASIC_HEADER, 'Content-Type': FORM, 'Content-Length': String(Buffer.byteLength(TOKEN_FORM_BODY)) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          const complaint = response.statusCode === 200 ? checkSoakBody('token', 200, body) : `status ${response.statusCode}`;
          if (complaint !== undefined) return reject(new Error(`priming token request to port ${port}: ${complaint}: ${body.slice(0, 200)}`));
          keep(session)(body);
          resolve();
        });
      },
    );
    request.setTimeout(config.timeoutMs * 3, () => request.destroy(new Error(`priming token request to port ${port} timed out`)));
    request.on('error', reject);
    request.end(TOKEN_FORM_BODY);
  });
}

/**
 * Before the clock starts: one token request per instance, one at a time, so each instance checks the client's
 * scrypt hash once and keeps the result; then a token pair for every session. Without it the first second sends
 * only token requests, each of them a scrypt on a cold instance, and the warm-up measures that pile-up.
 */
async function primeSessions(): Promise<void> {
  for (const [i, port] of config.ports.entries()) await prime(port, sessions[i % sessions.length] as Session);
  for (let i = 0; i < sessions.length; i += 4) {
    await Promise.all(sessions.slice(i, i + 4).map((session, j) => prime(config.ports[(i + j) % config.ports.length] as number, session)));
  }
}

async function main(): Promise<void> {
  await primeSessions();
  const warmupMs = config.warmupSeconds * 1000;
  const ends = schedule();
  const totalMs = (ends[ends.length - 1] as { endMs: number }).endMs;
  const offered = Math.floor((config.rate * totalMs) / 1000);
  const next = () => {
    const b = ends.shift() as { index: number; startMs: number; endMs: number };
    current = openBucket(b.index, b.startMs - warmupMs, (b.endMs - b.startMs) / 1000);
    buckets.push(current);
    return b.endMs;
  };
  let boundary = next();
  const finished = new Promise<void>((done) => (allEmitted = done));
  const origin = performance.now();
  let launched = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - origin;
      const due = Math.min(offered, Math.floor((config.rate * elapsed) / 1000));
      while (launched < due && inFlight < config.maxInFlight) {
        launched++;
        const [kind, planned] = plan(pickKind());
        send(kind, planned);
      }
      while (elapsed >= boundary) {
        current.closed = true;
        emitIfComplete(current);
        if (ends.length === 0) {
          clearInterval(timer);
          done();
          return;
        }
        boundary = next();
      }
    }, 5);
  });
  await finished;
  emit('DONE', { launched, offered });
  goodAgent.destroy();
  badAgent.destroy();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
