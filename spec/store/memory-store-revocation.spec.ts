// The memory store's revocation block (RFC 7009): opaque access tokens are forgotten, revoked JWT ids are
// remembered for their ttl and no longer, and the revoked-id map is bounded like every other.
import { MemoryStore } from '../../lib/store/memory-store';

const record = { clientId: 'c', sub: 'c', scope: [], issuedAt: 1, expiresAt: 2 };

describe('MemoryStore revocation', () => {
  it('forgets a revoked access token', async () => {
    const store = new MemoryStore();
    await store.saveAccessToken('h1', record, 60);
    await store.revokeAccessToken('h1');
    expect(await store.findAccessToken('h1')).toBeUndefined();
    await expect(store.revokeAccessToken('unknown')).resolves.toBeUndefined();
  });

  it('remembers a revoked jti until its ttl passes', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    expect(await store.isJwtIdRevoked('j1')).toBe(false);
    await store.revokeJwtId('j1', 10);
    expect(await store.isJwtIdRevoked('j1')).toBe(true);
    now += 9_999;
    expect(await store.isJwtIdRevoked('j1')).toBe(true);
    now += 1;
    expect(await store.isJwtIdRevoked('j1')).toBe(false);
  });

  it('bounds the revoked ids by maxEntries and clears them on close', async () => {
    const store = new MemoryStore({ maxEntries: 10 });
    for (let i = 0; i < 50; i++) await store.revokeJwtId(`j${i}`, 60);
    expect(await store.isJwtIdRevoked('j0')).toBe(false);
    expect(await store.isJwtIdRevoked('j49')).toBe(true);
    await store.close();
    expect(await store.isJwtIdRevoked('j49')).toBe(false);
  });
});
