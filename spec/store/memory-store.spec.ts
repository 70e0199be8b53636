// The memory store passes the Store contract, expires entries and stays bounded under load: no unbounded Map
// growth.
import { MemoryStore } from '../../lib/store/memory-store';
import { memoryStore } from '../../lib';
import { ExpiringMap } from '../../lib/store/expiring-map';
import { storeContract } from '../../lib/testing';

storeContract('memory', { createStore: () => memoryStore() });

const record = (n: number) => ({ clientId: 'c', sub: 'c', scope: [], issuedAt: n, expiresAt: n + 1 });

describe('MemoryStore', () => {
  it('returns a saved access token until its ttl passes', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    await store.saveAccessToken('h1', record(1), 10);
    expect(await store.findAccessToken('h1')).toEqual(record(1));
    now += 9_999;
    expect(await store.findAccessToken('h1')).toEqual(record(1));
    now += 1;
    expect(await store.findAccessToken('h1')).toBeUndefined();
  });

  it('never holds more than maxEntries records', async () => {
    const store = new MemoryStore({ maxEntries: 1000 });
    for (let i = 0; i < 5000; i++) await store.saveAccessToken(`h${i}`, record(i), 3600);
    expect(store.accessTokenCount).toBe(1000);
    expect(await store.findAccessToken('h0')).toBeUndefined();
    expect(await store.findAccessToken('h4999')).toEqual(record(4999));
  });

  it('rejects a non-positive maxEntries', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe('ExpiringMap', () => {
  it('reclaims expired entries on later writes, without reads or timers', () => {
    let now = 0;
    const map = new ExpiringMap<string, number>(1_000_000, () => now);
    for (let i = 0; i < 1000; i++) map.set(`old${i}`, i, 10);
    now = 100;
    for (let i = 0; i < 1000; i++) map.set(`new${i}`, i, 10_000);
    expect(map.size).toBeLessThan(2000);
    now = 200;
    for (let i = 0; i < 1000; i++) map.set(`more${i}`, i, 10_000);
    // Each write sweeps a few entries, so every expired one has been looked at by now.
    expect(map.size).toBe(2000);
  });

  it('replacing a key refreshes its position and value', () => {
    const map = new ExpiringMap<string, number>(2);
    map.set('a', 1, 1000);
    map.set('b', 2, 1000);
    map.set('a', 3, 1000);
    map.set('c', 4, 1000);
    expect(map.get('a')).toBe(3);
    expect(map.get('b')).toBeUndefined();
  });
});
