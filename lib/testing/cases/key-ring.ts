import { randomBytes } from 'node:crypto';
import type { KeyRingRecord, Store, StoredSigningKey } from '../../store/store';
import { KeyRing } from '../../tokens/key-ring/key-ring';
import type { ContractArea } from '../contract-case';
import { nowSeconds, randomHash } from '../fixtures';

// One ring per store, so each case starts from whatever version the previous one left.
async function nextVersion(store: Store): Promise<number> {
  return ((await store.loadKeyRing())?.version ?? 0) + 1;
}

function placeholderKey(): StoredSigningKey {
  const now = nowSeconds();
  return { kid: randomHash(), alg: 'ES256', publicJwk: { kty: 'EC', crv: 'P-256', x: randomHash(), y: randomHash() }, sealedPrivateKey: randomHash(), createdAt: now, signsFrom: now };
}

/** Two instances' key rings over one store: the same secret, a clock the case moves. */
function twoInstances(clock: { ms: number }): [KeyRing, KeyRing] {
  const settings = { interval: 20, publishAhead: 5, retireAfter: 20, refreshEvery: 3600, sealingKey: randomBytes(32), now: () => clock.ms };
  return [new KeyRing(settings), new KeyRing(settings)];
}

export const keyRing: ContractArea = {
  title: 'the key ring (one set of signing keys for every instance)',
  cases: [
    {
      name: 'keeps a ring written at the next version and gives it back as written',
      async run({ store, expect }) {
        const ring: KeyRingRecord = { version: await nextVersion(store), keys: [placeholderKey(), { ...placeholderKey(), publishedUntil: nowSeconds() + 60 }] };
        expect(await store.saveKeyRing(ring, 60)).toBe(true);
        expect(await store.loadKeyRing()).toEqual(ring);
      },
    },
    {
      name: 'refuses a write whose version does not follow the kept one, and keeps what it had',
      async run({ store, expect }) {
        const kept: KeyRingRecord = { version: await nextVersion(store), keys: [placeholderKey()] };
        expect(await store.saveKeyRing(kept, 60)).toBe(true);
        expect(await store.saveKeyRing({ version: kept.version, keys: [placeholderKey()] }, 60)).toBe(false);
        expect(await store.saveKeyRing({ version: kept.version + 2, keys: [placeholderKey()] }, 60)).toBe(false);
        expect(await store.loadKeyRing()).toEqual(kept);
      },
    },
    {
      name: 'of concurrent writes of one version, exactly one lands, and it is the one kept',
      async run({ store, expect }) {
        const version = await nextVersion(store);
        const rings = Array.from({ length: 8 }, (): KeyRingRecord => ({ version, keys: [placeholderKey()] }));
        const landed = await Promise.all(rings.map(async (ring) => store.saveKeyRing(ring, 60)));
        expect(landed.filter(Boolean)).toHaveLength(1);
        expect(await store.loadKeyRing()).toEqual(rings[landed.indexOf(true)]);
      },
    },
    {
      name: 'two instances starting and rotating at once agree on every key and on the one that signs',
      async run({ store, expect }) {
        // An empty ring: the instances must make the first key, as on a new deployment.
        expect(await store.saveKeyRing({ version: await nextVersion(store), keys: [] }, 60)).toBe(true);
        const clock = { ms: Date.now() };
        const [a, b] = twoInstances(clock);
        try {
          await Promise.all([a.start(store), b.start(store)]);
          expect(a.jwks.keys).toHaveLength(1);
          expect(b.jwks).toEqual(a.jwks);
          const first = a.current.kid;
          expect(b.current.kid).toBe(first);

          // Past the interval both rotate at once: one new key lands, published ahead, not yet signing.
          clock.ms += 21_000;
          await Promise.all([a.refresh(), b.refresh()]);
          expect(a.jwks.keys).toHaveLength(2);
          expect(b.jwks).toEqual(a.jwks);
          expect([a.current.kid, b.current.kid]).toEqual([first, first]);

          // After publishAhead the new key signs, at both, and the old one still verifies.
          clock.ms += 6_000;
          const second = a.current.kid;
          expect(second === first).toBe(false);
          expect(b.current.kid).toBe(second);
          expect(a.get(first)?.verifyKey).toBeDefined();
        } finally {
          a.close();
          b.close();
        }
      },
    },
  ],
};
