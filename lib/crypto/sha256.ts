import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string, encoding: 'buffer' | 'base64url') => Buffer | string;
// crypto.hash (Node ≥ 20.12) hashes in one call, without building a Hash object, which is most of the cost
// for the short inputs of the token path. Older Node 20 falls back.
const oneShot = (crypto as { hash?: OneShotHash }).hash;

/** SHA-256 of a string (UTF-8), base64url-encoded. */
export function sha256(value: string): string {
  return oneShot === undefined ? crypto.createHash('sha256').update(value).digest('base64url') : (oneShot('sha256', value, 'base64url') as string);
}

/** SHA-256 of a string (UTF-8), as bytes. */
export function sha256Bytes(value: string): Buffer {
  return oneShot === undefined ? crypto.createHash('sha256').update(value).digest() : (oneShot('sha256', value, 'buffer') as Buffer);
}
