// Client secrets are stored as salted scrypt hashes in a self-describing string; verification is
// constant-time and a successful one is remembered so the next request does not pay for scrypt again.
import { hashClientSecret } from '../../lib';
import { verifyClientSecretHash } from '../../lib/clients/secret-hash';
import { SecretVerifier } from '../../lib/clients/secret-verifier';

// Low cost keeps the suite fast; the format and the checks are the same at any cost.
const FAST = { logN: 10 } as const;

describe('hashClientSecret / verifyClientSecretHash', () => {
  it('produces a PHC-style scrypt string with a fresh salt each time', async () => {
    const a = await hashClientSecret('s3cret', FAST);
    const b = await hashClientSecret('s3cret', FAST);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
  });

  it('uses N = 2^15 by default', async () => {
    expect(await hashClientSecret('s3cret')).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
  });

  it('verifies the right secret and rejects others', async () => {
    const hash = await hashClientSecret('s3cret', FAST);
    expect(await verifyClientSecretHash('s3cret', hash)).toBe(true);
    expect(await verifyClientSecretHash('s3cret ', hash)).toBe(false);
    expect(await verifyClientSecretHash('', hash)).toBe(false);
  });

  it('answers false for a malformed hash string instead of throwing', async () => {
    expect(await verifyClientSecretHash('s3cret', 'plaintext')).toBe(false);
    expect(await verifyClientSecretHash('s3cret', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA')).toBe(false);
  });

  it('refuses to hash an empty secret', async () => {
    await expect(hashClientSecret('')).rejects.toThrow(TypeError);
  });
});

describe('SecretVerifier cache of successful verifications', () => {
  it('answers a repeated correct secret synchronously, from the cache', async () => {
    const client = { clientId: 'c', clientSecretHash: await hashClientSecret('s3cret', FAST), grants: ['client_credentials'], scopes: [] };
    const verifier = new SecretVerifier({ allowPlaintextSecrets: false });
    const first = verifier.verify(client, 's3cret');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe(true);
    expect(verifier.verify(client, 's3cret')).toBe(true);
  });

  it('does not let the cache accept a wrong secret or survive a rotated hash', async () => {
    const client = { clientId: 'c', clientSecretHash: await hashClientSecret('s3cret', FAST), grants: ['client_credentials'], scopes: [] };
    const verifier = new SecretVerifier({ allowPlaintextSecrets: false });
    expect(await verifier.verify(client, 's3cret')).toBe(true);
    expect(await verifier.verify(client, 'wrong')).toBe(false);
    const rotated = { ...client, clientSecretHash: await hashClientSecret('n3w', FAST) };
    expect(await verifier.verify(rotated, 's3cret')).toBe(false);
    expect(await verifier.verify(rotated, 'n3w')).toBe(true);
  });

  it('stays bounded: the least recently verified client is forgotten first', async () => {
    const hash = await hashClientSecret('s3cret', FAST);
    const verifier = new SecretVerifier({ allowPlaintextSecrets: false, cacheSize: 2 });
    const clients = ['a', 'b', 'c'].map((clientId) => ({ clientId, clientSecretHash: hash, grants: ['x'], scopes: [] }));
    for (const client of clients) await verifier.verify(client, 's3cret');
    expect(verifier.verify(clients[0]!, 's3cret')).toBeInstanceOf(Promise);
    expect(verifier.verify(clients[2]!, 's3cret')).toBe(true);
  });

  it('refuses a plaintext secret unless allowed', () => {
    const client = { clientId: 'c', clientSecret: 'plain', grants: ['x'], scopes: [] };
    expect(() => new SecretVerifier({ allowPlaintextSecrets: false }).verify(client, 'plain')).toThrow(
      expect.objectContaining({ code: 'server_error', detail: expect.stringMatching(/plaintext clientSecret/) }),
    );
    expect(new SecretVerifier({ allowPlaintextSecrets: true }).verify(client, 'plain')).toBe(true);
  });
});
