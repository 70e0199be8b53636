import { parseScope } from '../scope';
import type { JwtAccessTokenClaims } from '../tokens/jwt-claims';
import type { VerifiedToken } from './bearer-auth';

/** A verified JWT access token: its claims are the token's own. */
export type VerifiedJwtToken = VerifiedToken & { readonly claims: JwtAccessTokenClaims };

/**
 * The verified token a JWT's claims describe. A `scope` claim that breaks the RFC 6749 §3.3 grammar grants no
 * scope at all: a route that needs a scope then refuses the token, instead of guessing which part was meant.
 */
export function verifiedTokenFromClaims(claims: JwtAccessTokenClaims): VerifiedJwtToken {
  return { clientId: claims.client_id, sub: claims.sub, scopes: claims.scope === undefined ? [] : scopesOrNone(claims.scope), claims };
}

function scopesOrNone(scope: string): string[] {
  try {
    return parseScope(scope);
  } catch {
    return [];
  }
}
