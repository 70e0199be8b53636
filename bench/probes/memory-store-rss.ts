// Scenario 5, memory store: RSS per 100k live tokens, and RSS while issuing 1M tokens with a short ttl. Run as
// its own process (`node --expose-gc`, pinned to the server core) so its RSS is the store's and nothing else's:
//   node --expose-gc bench/.build/bench/probes/memory-store-rss.js '{"mode":"live","steps":5,"step":100000}'
//   node --expose-gc bench/.build/bench/probes/memory-store-rss.js '{"mode":"churn","total":1000000,"ttl":1,"sample":100000}'
// Tokens are saved through the store's own `saveAccessToken`, with what the opaque access token format saves:
// the SHA-256 (base64url) of a fresh 32-byte token as the key and a record with a fresh scope array; not through
// HTTP, which at this machine's few thousand requests per second would take minutes per million. Prints one JSON line.
import { memoryStore } from '../../lib';
import { generateToken, hashToken } from '../../lib/tokens/random-token';
import { CLIENT_ID, SCOPE } from '../fixtures';

interface Sample {
  tokens: number;
  rssMiB: number;
  heapUsedMiB: number;
  elapsedMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;

function sample(tokens: number, started: number): Sample {
  (gc as () => void)();
  (gc as () => void)();
  const m = process.memoryUsage();
  return { tokens, rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), elapsedMs: Date.now() - started };
}

async function issue(store: ReturnType<typeof memoryStore>, count: number, ttl: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const issuedAt = Math.floor(Date.now() / 1000);
    await store.saveAccessToken(hashToken(generateToken()), { clientId: CLIENT_ID, sub: CLIENT_ID, scope: [SCOPE], issuedAt, expiresAt: issuedAt + ttl }, ttl);
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as { mode?: string; steps?: number; step?: number; total?: number; ttl?: number; sample?: number };
  const store = memoryStore();
  const started = Date.now();
  const samples: Sample[] = [sample(0, started)];
  if (options.mode === 'live') {
    const step = options.step ?? 100_000;
    for (let i = 1; i <= (options.steps ?? 5); i++) {
      await issue(store, step, 3600);
      samples.push(sample(i * step, started));
    }
  } else if (options.mode === 'churn') {
    const every = options.sample ?? 100_000;
    const total = options.total ?? 1_000_000;
    for (let done = 0; done < total; done += every) {
      await issue(store, Math.min(every, total - done), options.ttl ?? 1);
      samples.push(sample(Math.min(total, done + every), started));
    }
  } else {
    throw new Error('mode must be live or churn');
  }
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
