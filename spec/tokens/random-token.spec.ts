// RFC 6749 §10.10 / RFC 6750 §5.2: tokens must be unguessable. Tokens come from a pool of CSPRNG bytes that is
// refilled every 8 KiB; these checks cross several refills, where a reuse of bytes would show.
import { createHash } from 'node:crypto';
import { generateToken, hashToken, randomString } from '../../lib/tokens/random-token';
import { sha256, sha256Bytes } from '../../lib/crypto/sha256';

describe('RFC 6749 §10.10: token randomness from the byte pool', () => {
  it('every token is 256 bits in 43 base64url characters, and none repeats across pool refills', () => {
    const tokens = Array.from({ length: 2000 }, () => generateToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    // Tokens minted across a refill share no 16-byte run: the pool never hands the same bytes out twice.
    const halves = tokens.flatMap((t) => [t.slice(0, 21), t.slice(21, 42)]);
    expect(new Set(halves).size).toBe(halves.length);
  });

  it('sizes other than 32 bytes: seeds of 16 bytes, and values larger than the pool', () => {
    const seeds = Array.from({ length: 1000 }, () => randomString(16));
    for (const seed of seeds) expect(seed).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(Buffer.from(randomString(10_000), 'base64url')).toHaveLength(10_000);
  });

  it('hashes are SHA-256, as createHash computes them', () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(sha256('é')).toBe(createHash('sha256').update('é').digest('base64url'));
    expect(sha256Bytes('é')).toEqual(createHash('sha256').update('é').digest());
  });
});
