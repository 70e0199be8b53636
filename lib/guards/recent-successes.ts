import { ExpiringMap } from '../store/expiring-map';

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

/**
 * The client and address pairs this instance saw authenticate in the last ten minutes, bounded in number.
 * Only a success adds one, so its size does not grow with hostile traffic. It lets a client that keeps
 * presenting a secret this process verified skip the lockout's round trip; it never admits a secret that has
 * not been verified.
 */
export class RecentSuccesses {
  private readonly pairs = new ExpiringMap<string, true>(MAX_ENTRIES);

  has(key: string): boolean {
    return this.pairs.get(key) === true;
  }

  add(key: string): void {
    this.pairs.set(key, true, TTL_MS);
  }

  delete(key: string): void {
    this.pairs.delete(key);
  }
}
