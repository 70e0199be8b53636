import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fixed RSA-2048 test key from spec/fixtures: generating one costs 0.3 s or more, too slow to repeat in
 * every suite. These keys protect nothing.
 */
export function rsaKeyPair(name: 'rsa-a' | 'rsa-b' | 'rsa-c'): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(readFileSync(join(__dirname, '..', 'fixtures', `${name}.pem`)));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export function ecKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export function pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: key.type === 'private' ? 'pkcs8' : 'spki' }).toString();
}
