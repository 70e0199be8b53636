// Access tokens for the DPoP resource specs, signed with the authorization server's own key by jose, as the
// server signs its RFC 9068 tokens: with `cnf.jkt` when bound to a DPoP key (RFC 9449 §6.1).
import { randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Client } from '../../lib';

export function mintJwt(options: { issuer: string; key: KeyObject; kid: string; client: Client; jkt?: string; ttl?: number }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    client_id: options.client.clientId,
    scope: (options.client.scopes ?? []).join(' '),
    ...(options.jkt === undefined ? {} : { cnf: { jkt: options.jkt } }),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: options.kid })
    .setIssuer(options.issuer)
    .setAudience(options.issuer)
    .setSubject(options.client.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttl ?? 900))
    .setJti(randomBytes(16).toString('base64url'))
    .sign(options.key);
}
