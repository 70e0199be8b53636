import type { KeyObject } from 'node:crypto';

/** A proof's public key, imported and checked against its algorithm, with its RFC 7638 thumbprint. */
export interface ProofKey {
  readonly key: KeyObject;
  readonly jkt: string;
}

/**
 * The imported keys of recent DPoP proofs, by the proof's encoded protected header. A client sends the same
 * header (typ, alg, jwk) with every proof of one key, and importing the jwk costs about as much as checking
 * the signature, so a hit halves a proof's cost. Keyed by the exact header text, a hit can only return the
 * key that text would import. Bounded: a stranger sending new keys evicts the oldest entries, which costs
 * their owners one import each, never a refusal; only headers of at most 2 KiB are kept, so the whole
 * cache stays within a few tens of MiB.
 */
export class ProofKeyCache {
  private readonly entries = new Map<string, ProofKey>();

  constructor(private readonly maxEntries: number) {}

  get(encodedHeader: string): ProofKey | undefined {
    return this.entries.get(encodedHeader);
  }

  set(encodedHeader: string, value: ProofKey): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(encodedHeader, value);
  }
}
