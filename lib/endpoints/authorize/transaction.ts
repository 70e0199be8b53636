import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CodeChallengeMethod } from '../../grants/pkce';

/**
 * The protocol state of one authorization request between the consent page and its POST: everything the
 * code will be bound to, who is approving, and the hash of the CSRF token the form must echo. It is signed,
 * not stored, so a server farm needs no shared session; it is short-lived, so a leaked form goes stale.
 */
export interface AuthorizationTransaction {
  /** Expiry, epoch seconds. */
  readonly exp: number;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly redirectUriSent: boolean;
  readonly scope: readonly string[];
  /** The resources (RFC 8707) the request named, which the code will be bound to. */
  readonly resource?: readonly string[];
  readonly state?: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: CodeChallengeMethod;
  readonly nonce?: string;
  /** RFC 9449 §10 `dpop_jkt`. */
  readonly dpopJkt?: string;
  /** The user the consent page was shown to. */
  readonly sub: string;
  readonly authTime: number;
  /** SHA-256 (base64url) of the CSRF token. */
  readonly csrfHash: string;
}

// `base64url(json).base64url(mac)`: an HMAC-SHA-256 is 32 bytes, 43 base64url characters without padding.
const SEALED = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/**
 * Signs transactions with HMAC-SHA-256 (`base64url(json).base64url(mac)`) and opens only intact, unexpired
 * ones. The key is built once.
 */
export class TransactionSealer {
  constructor(private readonly key: Buffer) {}

  seal(transaction: AuthorizationTransaction): string {
    const payload = Buffer.from(JSON.stringify(transaction)).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The length of what {@link seal} makes of `transaction`, without computing its MAC. */
  sealedLength(transaction: AuthorizationTransaction): number {
    // base64url without padding: 4 characters per 3 bytes, rounded up; then "." and a 43-character MAC.
    return Math.ceil((Buffer.byteLength(JSON.stringify(transaction)) * 4) / 3) + 1 + 43;
  }

  /** The transaction, or `undefined` when the value is malformed, tampered with or expired. */
  open(sealed: string, nowSeconds: number = Math.floor(Date.now() / 1000)): AuthorizationTransaction | undefined {
    // Only the exact string seal() made opens: base64url decoding is lenient (padding, stray characters, the
    // unused low bits of the last character), so the MAC is compared as its canonical text, not as decoded bytes.
    const match = SEALED.exec(sealed);
    if (match === null) return undefined;
    const payload = match[1] as string;
    const given = Buffer.from(match[2] as string);
    const expected = Buffer.from(this.mac(payload).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let transaction: AuthorizationTransaction;
    try {
      transaction = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AuthorizationTransaction;
    } catch {
      return undefined;
    }
    if (typeof transaction !== 'object' || transaction === null || typeof transaction.exp !== 'number' || transaction.exp <= nowSeconds) {
      return undefined;
    }
    return transaction;
  }

  /**
   * A stamp of the time Keyturn sent the user to sign in again (`prompt=login`, `max_age`), bound to the
   * authorization request's other parameters: `returnTo` carries it, so the request the browser comes back
   * with accepts a sign-in made since, instead of asking again for ever.
   */
  stampSignIn(at: number, request: string): string {
    return `${at}.${this.signInMac(at, request).toString('base64url')}`;
  }

  /** The time of an intact stamp for this request, no older than `maxAgeSeconds`; otherwise `undefined`. */
  openSignInStamp(stamp: string, request: string, maxAgeSeconds: number, nowSeconds: number = Math.floor(Date.now() / 1000)): number | undefined {
    const match = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(stamp);
    if (match === null) return undefined;
    const at = Number(match[1]);
    const given = Buffer.from(match[2] as string);
    const expected = Buffer.from(this.signInMac(at, request).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return at <= nowSeconds && nowSeconds - at <= maxAgeSeconds ? at : undefined;
  }

  private signInMac(at: number, request: string): Buffer {
    return createHmac('sha256', this.key).update('keyturn.sign-in-stamp.v1\0').update(`${at}\0`).update(request).digest();
  }

  private mac(payload: string): Buffer {
    // A domain label keeps this MAC from being valid for any other use of the same key.
    return createHmac('sha256', this.key).update('keyturn.authorization-transaction.v1\0').update(payload).digest();
  }
}
