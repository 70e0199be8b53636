// Shared pieces of the seeded fuzz specs (spec/fuzz/): a deterministic PRNG, so a failure can be replayed
// with FUZZ_SEED, and the assertions every malformed request must pass.

/** mulberry32: tiny, fast and good enough to spread test cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of a fuzz spec: FUZZ_SEED when set, else the spec's own fixed one. */
export function fuzzSeed(fallback: number): number {
  return Number(process.env.FUZZ_SEED ?? fallback);
}

/** Random helpers over one PRNG. */
export interface Fuzz {
  readonly random: () => number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Up to `max` characters anywhere in U+0000..U+02FF (so control characters, quotes, Latin-1 and more). */
  junk(max: number): string;
  /** Up to `max` printable ASCII characters: what can travel in an HTTP header. */
  printable(max: number): string;
  /** A string of `length` characters from `alphabet`. */
  from(alphabet: string, length: number): string;
  /** base64url of up to `max` random bytes. */
  b64url(max: number): string;
}

export function fuzz(seed: number): Fuzz {
  const random = prng(seed);
  const int = (max: number) => Math.floor(random() * max);
  const from = (alphabet: string, length: number) => {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  return {
    random,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    junk: (max) => {
      let s = '';
      for (let i = int(max); i > 0; i--) s += String.fromCharCode(int(0x2ff));
      return s;
    },
    printable: (max) => {
      let s = '';
      for (let i = int(max); i > 0; i--) s += String.fromCharCode(0x20 + int(0x5f));
      return s;
    },
    from,
    b64url: (max) => Buffer.from(Array.from({ length: int(max) }, () => int(256))).toString('base64url'),
  };
}

/** A stack trace line, as Node prints them. */
export const STACK = /\bat .*\.(ts|js):\d+/;

/** Base64url alphabet. */
export const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
