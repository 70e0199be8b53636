import { spawn } from 'node:child_process';
import path from 'node:path';
import { BASIC_HEADER, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';
import type { Contender, ExtraResult, SampleResponse, Scenario } from '../harness/scenario';

/** Live tokens in Redis for the small and the large runs. */
const SMALL = 10_000;
const LARGE = 1_000_000;
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

function checkResponse({ body }: SampleResponse): string | undefined {
  const json = JSON.parse(body) as { active?: unknown; refresh_token?: unknown; client_id?: unknown };
  if (json.active === true && typeof json.client_id === 'string') return undefined;
  if (typeof json.refresh_token === 'string') return undefined;
  return `neither a token response with a refresh_token nor an active introspection answer: ${body.slice(0, 200)}`;
}

const INTROSPECT = { path: '/oauth2/introspect', hooks: undefined, body: 'token=(handed over by the server)' };

function redisContender(kind: 'refresh' | 'introspect', live: number): Contender {
  return {
    id: `keyturn-redis-${kind}-${label(live)}`,
    label: `Keyturn on Redis, ${kind === 'refresh' ? 'refresh rotation' : 'introspection'}, ${label(live)} live ${kind === 'refresh' ? 'refresh families' : 'access tokens'}`,
    role: 'keyturn',
    server: 'keyturn-refresh',
    env: { STORE: 'redis', MODE: kind, ...(kind === 'refresh' ? { SEED_FAMILIES: String(live) } : { SEED_ACCESS_TOKENS: String(live) }) },
    ...(kind === 'introspect' ? { request: INTROSPECT } : {}),
    startTimeoutSeconds: 300,
    stopTimeoutSeconds: 180,
  };
}

/**
 * Scenario 5: does throughput hold when Redis holds many live tokens, and does the memory store stay bounded?
 * Each Redis server seeds its live tokens by pipeline under its own key prefix before it reports ready, in the
 * format the Redis store writes, and deletes every key under that prefix when it stops.
 */
export const scaleScenario: Scenario = {
  id: 's5-scale',
  title: 'Scenario 5: scale (Redis with 10k and 1M live tokens; memory-store RSS)',
  description:
    `Refresh rotation (as in scenario 3, opaque access tokens) and introspection (POST /oauth2/introspect, Basic auth, ` +
    '`token=<an opaque access token the server issued at start-up>`) on the Redis store, with ' +
    `${label(SMALL)} and with ${label(LARGE)} other live tokens in Redis: refresh families (\`P {F}:rf\` hashes with the fields and TTL ` +
    'SAVE_REFRESH_TOKEN writes) for the refresh rows, opaque access token records (`P at:H`, JSON, PX) for the introspection rows, ' +
    'seeded by pipeline under the server\'s own key prefix (`keyturn-bench:<pid>:`) and removed (SCAN MATCH prefix* + UNLINK) when ' +
    'it stops. The ratio column compares each row with the 10k row of the same kind measured in the same round. Below the table, ' +
    'the memory store: RSS per 100k live opaque access tokens, and RSS while 1M tokens with a 1 s ttl are issued (bounded: ' +
    'ExpiringMap sweeps on every write and caps at maxEntries).',
  request: {
    method: 'POST',
    path: TOKEN_PATH,
    headers: { Authorization: BASIC_HEADER, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: TOKEN_FORM_BODY,
    hooks: { module: 'refresh-rotation', options: { chain: 1000 } },
  },
  expectStatus: 200,
  checkResponse,
  baseline: `keyturn-redis-refresh-${label(SMALL)}`,
  baselineLabel: `Redis refresh at ${label(SMALL)}`,
  contenders: [redisContender('refresh', SMALL), redisContender('refresh', LARGE), redisContender('introspect', SMALL), redisContender('introspect', LARGE)],
  targets: [
    { label: `refresh throughput at ${label(LARGE)} live tokens ≥ 0.9 × at ${label(SMALL)}`, subject: `keyturn-redis-refresh-${label(LARGE)}`, against: `keyturn-redis-refresh-${label(SMALL)}`, min: 0.9 },
    { label: `introspection throughput at ${label(LARGE)} live tokens ≥ 0.9 × at ${label(SMALL)}`, subject: `keyturn-redis-introspect-${label(LARGE)}`, against: `keyturn-redis-introspect-${label(SMALL)}`, min: 0.9 },
  ],
  serverStats: {
    path: '/__bench/stats',
    per: 'requests',
    perLabel: 'request',
    show: [
      { counter: 'roundTrips', label: 'round trips' },
      { counter: 'commands', label: 'commands sent' },
      { counter: 'redis_total', label: 'commandstats: all' },
    ],
  },
  notes: [
    'The introspection rows\' ratio to "Redis refresh at 10k" compares different work; read them against each other (the targets do).',
  ],
  extra: memoryStoreRss,
};

interface Sample {
  tokens: number;
  rssMiB: number;
  heapUsedMiB: number;
  elapsedMs: number;
}

function probe(serverPrefix: readonly string[], options: object): Promise<Sample[]> {
  const script = path.join(__dirname, '..', 'probes', 'memory-store-rss.js');
  const argv = [...serverPrefix, process.execPath, '--expose-gc', script, JSON.stringify(options)];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`memory probe exited with ${code}: ${err.trim()}`));
      try {
        resolve((JSON.parse(out.trim()) as { samples: Sample[] }).samples);
      } catch {
        reject(new Error(`memory probe printed no result: ${out}${err}`));
      }
    });
  });
}

/** The memory store's RSS: per 100k live tokens, and bounded while 1M short-lived tokens are issued. */
async function memoryStoreRss(settings: { smoke: boolean; serverPrefix: readonly string[] }): Promise<ExtraResult> {
  const step = settings.smoke ? 10_000 : 100_000;
  const steps = settings.smoke ? 2 : 5;
  const total = settings.smoke ? 50_000 : 1_000_000;
  const live = await probe(settings.serverPrefix, { mode: 'live', steps, step });
  const churn = await probe(settings.serverPrefix, { mode: 'churn', total, ttl: 1, sample: total / 10 });

  // Per 100k: the slope after the first step (the first also pays for the Map's and the code's start-up).
  const first = live[1] as Sample;
  const last = live[live.length - 1] as Sample;
  const per100k = (key: 'rssMiB' | 'heapUsedMiB') => ((last[key] - first[key]) / (last.tokens - first.tokens)) * 100_000;
  const half = churn.filter((s) => s.tokens > 0 && s.tokens <= total / 2);
  const firstHalfMax = Math.max(...half.map((s) => s.rssMiB));
  const end = churn[churn.length - 1] as Sample;
  const bounded = end.rssMiB <= firstHalfMax * 1.1;
  const rate = Math.round(end.tokens / (end.elapsedMs / 1000));

  const table = (samples: Sample[]) => [
    '| tokens issued | RSS MiB | heap used MiB | elapsed ms |',
    '| ---: | ---: | ---: | ---: |',
    ...samples.map((s) => `| ${s.tokens.toLocaleString('en-US')} | ${s.rssMiB} | ${s.heapUsedMiB} | ${s.elapsedMs} |`),
  ];
  const markdown = [
    `### Memory store RSS${settings.smoke ? ' (smoke: small counts)' : ''}`,
    '',
    'Measured by `bench/probes/memory-store-rss.ts` in its own process (`node --expose-gc`, pinned to the server core, two full GCs',
    'before each sample), saving opaque access tokens through `memoryStore().saveAccessToken` with what the opaque format saves (SHA-256',
    'of a fresh 32-byte token as key, a record with a fresh scope array): not through HTTP, where a million tokens would take minutes here.',
    '',
    `Live tokens (ttl 1 h): **${per100k('rssMiB').toFixed(1)} MiB RSS per 100k live tokens** (${per100k('heapUsedMiB').toFixed(1)} MiB of heap), the slope from`,
    `${first.tokens.toLocaleString('en-US')} to ${last.tokens.toLocaleString('en-US')} tokens:`,
    '',
    ...table(live),
    '',
    `Issuing ${total.toLocaleString('en-US')} tokens with a 1 s ttl (about ${rate.toLocaleString('en-US')} per second, so about that many are live at`,
    `any time): RSS ${bounded ? 'stays bounded' : 'keeps growing'}: ${end.rssMiB} MiB at the end against at most ${firstHalfMax} MiB in the first half`,
    `(${(end.rssMiB / firstHalfMax).toFixed(2)} ×; "bounded" = at most 1.10 ×).`,
    '',
    ...table(churn),
  ].join('\n');
  return {
    markdown,
    console:
      `memory store: ${per100k('rssMiB').toFixed(1)} MiB RSS per 100k live tokens; issuing ${total.toLocaleString('en-US')} with ttl 1 s: ` +
      `RSS ${churn.map((s) => s.rssMiB).join(' → ')} MiB (${bounded ? 'bounded' : 'GROWING'})`,
    targets: settings.smoke
      ? []
      : [{ label: 'memory store bounded while issuing 1M short-lived tokens', status: bounded ? 'met' : 'missed', detail: `RSS ${end.rssMiB} MiB at 1M vs ≤ ${firstHalfMax} MiB in the first half (${(end.rssMiB / firstHalfMax).toFixed(2)} ×, ≤ 1.10 × counts as bounded)` }],
  };
}
