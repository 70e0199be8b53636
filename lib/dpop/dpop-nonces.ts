import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9) that need no state: the nonce of a time window is an HMAC of
 * the window's number under a key derived from the server's `secret`, so every instance sharing the secret
 * issues the same nonce and accepts every other's, with no store round trip. A nonce is accepted in its own
 * window and the next, so it lives between `windowSeconds` and twice that.
 *
 * Each window's nonce is computed once and kept: checking a proof's nonce is a string compare, not an HMAC.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 *
 * const nonces = new DpopNonces(randomBytes(32), 300);
 * const nonce = nonces.current(); // send as DPoP-Nonce
 * nonces.accepts(nonce); // true, here and at every instance with the same key, for 300 to 600 seconds
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
export class DpopNonces {
  private window = Number.NaN;
  private currentNonce = '';
  private previousNonce = '';

  constructor(
    private readonly key: Buffer,
    /** Length of a window, in seconds. */
    readonly windowSeconds: number,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    if (!Number.isInteger(windowSeconds) || windowSeconds <= 0) throw new TypeError('DpopNonces: windowSeconds must be a positive integer');
  }

  /** The nonce to hand out now (in `DPoP-Nonce`). */
  current(): string {
    this.advance();
    return this.currentNonce;
  }

  /** True when `nonce` is this window's or the previous window's. Constant-time in the nonce's content. */
  accepts(nonce: string | undefined): boolean {
    if (nonce === undefined) return false;
    this.advance();
    return same(nonce, this.currentNonce) || same(nonce, this.previousNonce);
  }

  private advance(): void {
    const window = Math.floor(this.now() / this.windowSeconds);
    if (window === this.window) return;
    this.previousNonce = window === this.window + 1 ? this.currentNonce : this.nonceOf(window - 1);
    this.currentNonce = this.nonceOf(window);
    this.window = window;
  }

  private nonceOf(window: number): string {
    // 192 bits of MAC: unguessable, and short enough for a header a client echoes in every proof.
    return createHmac('sha256', this.key).update(`dpop-nonce\0${window}`).digest().subarray(0, 24).toString('base64url');
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
