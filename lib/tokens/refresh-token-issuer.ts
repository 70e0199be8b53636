import type { Client } from '../clients/client';
import type { Store } from '../store/store';
import { mintFamilyToken } from './family-token';

/** Refresh token lifetimes, in seconds. */
export interface RefreshTokenLifetimes {
  /** Lifetime of each refresh token; rotation gives the new one a full `ttl`. */
  readonly ttl: number;
  /** Lifetime of a whole family from its first token, whatever the rotations; none when `undefined`. */
  readonly absoluteTtl: number | undefined;
}

/** A refresh token family just started. */
export interface StartedRefreshFamily {
  /** The refresh token for the response. */
  readonly token: string;
  /** The family id, for the access tokens issued with it. */
  readonly familyId: string;
  /** The family seed, to mint the access tokens issued with it in the family. */
  readonly seed: string;
  /** Resolves once the store holds the family. */
  readonly saved: Promise<void>;
}

/**
 * Starts refresh token families: the first refresh token of a grant, which later rotations descend from.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.5
 */
export class RefreshTokenIssuer {
  constructor(
    private readonly store: Store,
    private readonly lifetimes: RefreshTokenLifetimes,
  ) {}

  /** Lifetime of each refresh token, in seconds. */
  get ttl(): number {
    return this.lifetimes.ttl;
  }

  /**
   * Mints a token in a new family and starts saving it. The family id is known at once, so the caller can
   * save the access token alongside instead of after. With `jkt`, the family is bound to that DPoP key
   * (RFC 9449 §5, for public clients): only a refresh proving it rotates the family.
   */
  start(client: Client, sub: string, scope: readonly string[], seed?: string, authTime?: number, jkt?: string, audience?: readonly string[]): StartedRefreshFamily {
    const minted = mintFamilyToken(seed);
    const now = Math.floor(Date.now() / 1000);
    const { absoluteTtl } = this.lifetimes;
    const ttl = absoluteTtl === undefined ? this.lifetimes.ttl : Math.min(this.lifetimes.ttl, absoluteTtl);
    const saved = this.store.saveRefreshToken(
      minted.tokenHash,
      {
        clientId: client.clientId,
        sub,
        scope,
        familyId: minted.familyId,
        issuedAt: now,
        expiresAt: now + ttl,
        ...(absoluteTtl === undefined ? {} : { familyExpiresAt: now + absoluteTtl }),
        ...(authTime === undefined ? {} : { authTime }),
        ...(jkt === undefined ? {} : { jkt }),
        ...(audience === undefined || audience.length === 0 ? {} : { audience }),
      },
      ttl,
    );
    return { token: minted.token, familyId: minted.familyId, seed: minted.seed, saved };
  }
}
