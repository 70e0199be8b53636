import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Client secrets are low-entropy often enough (people pick them) that they get a salted, slow hash.
// The string is self-describing, in the PHC format: $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>.
const PREFIX = '$scrypt$';
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * scrypt cost parameters for {@link hashClientSecret}. They are written into the hash string, so hashes made
 * with different costs verify side by side: raising the cost for new secrets leaves existing hashes valid.
 *
 * @example
 * ```ts
 * import { hashClientSecret, type SecretHashOptions } from 'keyturn';
 *
 * // Twice the default work factor, for a client whose secret a person chose.
 * const cost: SecretHashOptions = { logN: 16 };
 * const clientSecretHash = await hashClientSecret(process.env.PARTNER_SECRET!, cost);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7914#section-2
 */
export interface SecretHashOptions {
  /** log2 of the scrypt CPU/memory cost N. Default: 15 (N = 32768, 32 MiB of memory per hash). */
  logN?: number;
  /** scrypt block size. Default: 8. */
  r?: number;
  /** scrypt parallelism. Default: 1. */
  p?: number;
}

function scryptAsync(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function costOptions(logN: number, r: number, p: number): ScryptOptions {
  const N = 2 ** logN;
  // Node refuses scrypt above maxmem (32 MiB by default); allow what the parameters need.
  return { N, r, p, maxmem: 128 * N * r * p + 1024 * 1024 };
}

/**
 * Hashes a client secret with scrypt and a random salt into a self-describing string
 * (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`), to store as a client's `clientSecretHash`.
 *
 * @example
 * ```ts
 * import { hashClientSecret } from 'keyturn';
 *
 * const clientSecretHash = await hashClientSecret('dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-');
 * ```
 */
export async function hashClientSecret(secret: string, options: SecretHashOptions = {}): Promise<string> {
  const { logN = 15, r = 8, p = 1 } = options;
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('hashClientSecret: secret must be a non-empty string');
  const salt = randomBytes(SALT_LENGTH);
  const key = await scryptAsync(secret, salt, KEY_LENGTH, costOptions(logN, r, p));
  return `${PREFIX}ln=${logN},r=${r},p=${p}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
}

/** True when `value` looks like a string produced by {@link hashClientSecret}. */
export function isClientSecretHash(value: string): boolean {
  return PHC.test(value);
}

/**
 * Checks a presented secret against a {@link hashClientSecret} string, in constant time.
 * Resolves false (never throws) for a malformed hash string.
 */
export async function verifyClientSecretHash(secret: string, hash: string): Promise<boolean> {
  const match = PHC.exec(hash);
  if (!match) return false;
  const [, logN, r, p, salt, expected] = match as unknown as [string, string, string, string, string, string];
  // Bounds keep a corrupt or hostile hash string from asking scrypt for absurd memory or time.
  if (+logN < 1 || +logN > 20 || +r < 1 || +r > 32 || +p < 1 || +p > 16) return false;
  const expectedKey = Buffer.from(expected, 'base64');
  if (expectedKey.length < 16) return false;
  const key = await scryptAsync(secret, Buffer.from(salt, 'base64'), expectedKey.length, costOptions(+logN, +r, +p));
  return timingSafeEqual(key, expectedKey);
}
