// The memory store's revocation set, against a plain model: an entry is held exactly until the latest expiry it
// was given, is never dropped earlier, and a full set refuses new keys instead of evicting one.
import { StoreUnavailableError } from '../../lib/errors';
import { RevocationSet } from '../../lib/store/revocation-set';

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('RevocationSet', () => {
  it('matches the model over 20 000 random adds, re-adds, reads and clock moves', () => {
    const random = prng(42);
    let now = 1_000_000;
    const capacity = 50;
    const set = new RevocationSet(capacity, () => now);
    const model = new Map<string, number>();
    let refusals = 0;
    const mismatches: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      const key = `k${Math.floor(random() * 120)}`;
      const roll = random();
      if (roll < 0.5) {
        const ttl = 1 + Math.floor(random() * 5_000);
        for (const [k, until] of model) if (until <= now) model.delete(k);
        const known = model.get(key);
        const full = known === undefined && model.size >= capacity;
        let refused = false;
        try {
          set.add(key, ttl);
        } catch (err) {
          refused = err instanceof StoreUnavailableError;
        }
        if (refused !== full) mismatches.push(`step ${step}: add ${key} ${refused ? 'refused' : 'accepted'}`);
        if (full) refusals++;
        else model.set(key, Math.max(known ?? 0, now + ttl));
      } else if (roll < 0.9) {
        if (set.has(key) !== (model.get(key) ?? 0) > now) mismatches.push(`step ${step}: has ${key}`);
      } else {
        now += Math.floor(random() * 400);
      }
      if (set.size > capacity) mismatches.push(`step ${step}: size ${set.size}`);
    }
    expect(mismatches).toEqual([]);
    // The run went through both regimes: full (refusing) and with room.
    expect(refusals).toBeGreaterThan(100);
    for (const [key, until] of model) expect(set.has(key)).toBe(until > now);
  });

  it('stays small when one key is re-added with ever later expiries', () => {
    let now = 0;
    const set = new RevocationSet(10, () => now);
    for (let i = 0; i < 10_000; i++) {
      now += 1;
      set.add('family', 86_400_000);
    }
    expect(set.size).toBe(1);
    expect((set as unknown as { heap: unknown[] }).heap.length).toBeLessThanOrEqual(2 * 1 + 16 + 1);
    now += 86_400_000 - 1;
    expect(set.has('family')).toBe(true);
    now += 1;
    expect(set.has('family')).toBe(false);
  });

  it('its refusal names no key and says when the soonest entry ends', () => {
    const now = 5_000;
    const set = new RevocationSet(2, () => now, 'revoked JWT ids');
    set.add('secret-a', 2_500);
    set.add('secret-b', 9_000);
    let refusal: unknown;
    try {
      set.add('secret-c', 1_000);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(StoreUnavailableError);
    expect((refusal as StoreUnavailableError).retryAfterSeconds).toBe(3);
    expect((refusal as Error).message).toBe('memory store: revoked JWT ids are full (maxEntries live entries); refusing to forget one');
  });
});
