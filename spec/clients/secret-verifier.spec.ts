// Concurrent checks of one secret share one scrypt, so that when a busy client's remembered verification
// expires, the requests waiting at that moment do not each run their own (a stampede of 50-100 ms hashes).
import { hashClientSecret, type Client } from '../../lib';
import { SecretVerifier } from '../../lib/clients/secret-verifier';

describe('SecretVerifier', () => {
  let client: Client;
  beforeAll(async () => {
    client = { clientId: 'busy', clientSecretHash: await hashClientSecret('busy-secret'), grants: ['client_credentials'], scopes: [] };
  });

  it('concurrent checks of the same secret share one hash check, and its verdict', async () => {
    const secrets = new SecretVerifier({ allowPlaintextSecrets: false });
    const checks = Array.from({ length: 20 }, () => secrets.verify(client, 'busy-secret'));
    expect(new Set(checks).size).toBe(1);
    expect(await Promise.all(checks)).toEqual(Array(20).fill(true));
    // Remembered now: answered without a hash.
    expect(secrets.verify(client, 'busy-secret')).toBe(true);
  });

  it('different secrets are checked apart, each with its own verdict', async () => {
    const secrets = new SecretVerifier({ allowPlaintextSecrets: false });
    const right = secrets.verify(client, 'busy-secret');
    const wrong = secrets.verify(client, 'a-guess');
    expect(right).not.toBe(wrong);
    expect(await Promise.all([right, wrong])).toEqual([true, false]);
    // A wrong secret is not remembered: the next check of it runs again.
    const again = secrets.verify(client, 'a-guess');
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toBe(false);
  });
});
