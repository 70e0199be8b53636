import { StoreUnavailableError } from '../errors/store-unavailable-error';

interface Pending {
  readonly key: string;
  readonly until: number;
}

/**
 * The memory store's revocations (revoked JWT ids, revoked families): each id is kept until the moment it was
 * added for, and never dropped before. Forgetting a revocation early would accept a token that was revoked,
 * so, unlike {@link ExpiringMap}, this set does not evict a live entry to make room.
 *
 * At `maxEntries` an add first reclaims the entries that have expired; when every entry is still live the add
 * is refused with {@link StoreUnavailableError} (503 `temporarily_unavailable`, `Retry-After` until the soonest
 * entry ends), so the caller learns that the revocation was not recorded instead of believing it was.
 *
 * A binary min-heap orders the entries by expiry, so the expired ones are found without walking the set:
 * every operation costs O(log n), whatever the mix of lifetimes.
 */
export class RevocationSet {
  private readonly until = new Map<string, number>();
  /** Min-heap on `until`. May hold outdated nodes of keys whose expiry was extended; they are skipped. */
  private readonly heap: Pending[] = [];

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
    private readonly label = 'revocations',
  ) {}

  /** Live entries, plus expired ones not yet reclaimed. */
  get size(): number {
    return this.until.size;
  }

  has(key: string): boolean {
    const until = this.until.get(key);
    return until !== undefined && until > this.now();
  }

  /**
   * Keeps `key` for `ttlMs` from now. An entry already kept for longer keeps its expiry: a revocation is never
   * shortened. Throws {@link StoreUnavailableError}, changing nothing, when the set is full of live entries.
   */
  add(key: string, ttlMs: number): void {
    const now = this.now();
    const until = now + ttlMs;
    this.reclaim(now);
    const known = this.until.get(key);
    if (known !== undefined) {
      if (known >= until) return;
    } else if (this.until.size >= this.maxEntries) {
      const soonest = this.heap[0]?.until ?? now + 1000;
      throw new StoreUnavailableError(`memory store: ${this.label} are full (maxEntries live entries); refusing to forget one`, {
        retryAfterSeconds: Math.max(1, Math.ceil((soonest - now) / 1000)),
      });
    }
    this.until.set(key, until);
    this.push({ key, until });
    // Extensions leave outdated nodes behind; rebuild once they outnumber the live ones, so the heap stays
    // within twice the set's size (amortised O(1) per add).
    if (this.heap.length > 2 * this.until.size + 16) this.rebuild();
  }

  clear(): void {
    this.until.clear();
    this.heap.length = 0;
  }

  /** Drops every entry whose time has come: they sit at the top of the heap. */
  private reclaim(now: number): void {
    for (let top = this.heap[0]; top !== undefined && top.until <= now; top = this.heap[0]) {
      this.pop();
      if (this.until.get(top.key) === top.until) this.until.delete(top.key);
    }
  }

  private rebuild(): void {
    this.heap.length = 0;
    for (const [key, until] of this.until) this.heap.push({ key, until });
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private push(node: Pending): void {
    const heap = this.heap;
    heap.push(node);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.until <= node.until) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = node;
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private down(start: number): void {
    const heap = this.heap;
    const node = heap[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.until < heap[left]!.until ? right : left;
      if (heap[child]!.until >= node.until) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = node;
  }
}
