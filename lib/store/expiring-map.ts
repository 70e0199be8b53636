import type { RevocationSet } from './revocation-set';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A Map whose entries expire and whose size is capped: the memory store's building block.
 *
 * Expired entries are dropped when read, and a sweep walks a bounded slice of the map on each write so
 * memory is reclaimed without a timer and without a pause proportional to the map's size. When full, the
 * oldest-inserted entry is evicted: for a token store that is the one closest to expiring anyway.
 *
 * Eviction is safe only for records whose loss refuses something (a token, a code, a remembered consent):
 * the memory store keeps revocations, whose loss would accept something, in a {@link RevocationSet} instead.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private sweepCursor: IterableIterator<[K, Entry<V>]> | undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: K, value: V, ttlMs: number): void {
    this.sweep(4);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.sweepCursor = undefined;
  }

  /** Looks at up to `budget` entries from where the last sweep stopped and drops the expired ones. */
  private sweep(budget: number): void {
    const now = this.now();
    for (let i = 0; i < budget; i++) {
      this.sweepCursor ??= this.entries.entries();
      const next = this.sweepCursor.next();
      if (next.done) {
        this.sweepCursor = undefined;
        return;
      }
      const [key, entry] = next.value;
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
