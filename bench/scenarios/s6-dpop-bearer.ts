import { RESOURCE_BODY, RESOURCE_PATH } from '../fixtures';
import type { SampleResponse, Scenario } from '../harness/scenario';

const expectedBody = JSON.stringify(RESOURCE_BODY);

function checkResourceResponse({ body }: SampleResponse): string | undefined {
  return body === expectedBody ? undefined : `expected ${expectedBody}, got ${body.slice(0, 200)}`;
}

/**
 * Scenario 6: scenario 4's GET with a DPoP-bound token (RFC 9449 §7): `Authorization: DPoP <token>` and a
 * fresh ES256 proof in the `DPoP` header of every request, signed by the load generator
 * (bench/load-hooks/dpop-proofs.ts; a pool signed before the load starts, so the generator's own signing is
 * off the measured path). Every server binds its test token to the same client key (bench/dpop-client.ts).
 */
export const dpopBearerScenario: Scenario = {
  id: 's6-dpop-bearer',
  title: 'Scenario 6: DPoP-bound token verification on a GET route',
  description:
    'GET /api/accounts with `Authorization: DPoP <token>` and a `DPoP` proof (ES256, a new jti and the current iat in every request, ' +
    'signed by the load generator before the load starts); every protected route also requires the scope `/accounts.read` and ' +
    'answers the same small JSON. Keyturn runs `requireBearer({ server: auth, scopes, dpop: true })` with an ES256 JWT bound to the ' +
    'client key by `cnf.jkt` (the token\'s verification served from the verified-token cache after the first request, the proof ' +
    'checked in full on every request: one header, typ, alg, signature with the header\'s jwk, htm, htu, iat window, ath, the key ' +
    'against cnf.jkt, and the jti recorded in the memory store to refuse a replay), and `requireBearer({ issuer, audience, jwksUri, ' +
    'scopes, dpop: true })` the same way with a JWKS fetched over HTTP once (from a Keyturn server on another route of the same ' +
    'process) and its default memory replay store. express-oauth2-jwt-bearer runs `auth({ ..., dpop: { enabled: true, required: true } })` ' +
    'and `requiredScopes`, verifying an RS256 (as in scenario 4) or an ES256 JWT with cnf.jkt and the proof on every request; it keeps ' +
    'no replay cache of jtis. Bare Express answers without any check (the proofs are sent to it all the same).',
  request: {
    method: 'GET',
    path: RESOURCE_PATH,
    headers: { Authorization: `DPoP ${'x'.repeat(43)}` },
    hooks: { module: 'dpop-proofs', options: { pool: 60_000, poolSeconds: 4 } },
  },
  expectStatus: 200,
  checkResponse: checkResourceResponse,
  baseline: 'express-get',
  contenders: [
    { id: 'keyturn-dpop-es256', label: 'Keyturn requireBearer({ server, dpop }) (JWT ES256 cached, ES256 proof)', role: 'keyturn', server: 'keyturn-dpop-resource' },
    { id: 'keyturn-require-bearer-dpop-es256', label: 'Keyturn requireBearer({ issuer, dpop }) (JWT ES256 by JWKS, cached, ES256 proof)', role: 'keyturn', server: 'keyturn-dpop-resource', env: { CHECK: 'remote' } },
    { id: 'express-oauth2-jwt-bearer-dpop', label: 'express-oauth2-jwt-bearer dpop (JWT RS256, ES256 proof)', role: 'peer', server: 'express-oauth2-jwt-bearer-dpop-resource' },
    { id: 'express-oauth2-jwt-bearer-dpop-es256', label: 'express-oauth2-jwt-bearer dpop (JWT ES256, ES256 proof)', role: 'peer', server: 'express-oauth2-jwt-bearer-dpop-resource', env: { JWT_ALG: 'ES256' } },
    { id: 'express-get', label: 'bare Express GET (no check)', role: 'baseline', server: 'express-bare-resource' },
  ],
  targets: [
    { label: 'Keyturn DPoP bearer check ≥ 1.3 × express-oauth2-jwt-bearer with DPoP (RS256 token, as scenario 4)', subject: 'keyturn-dpop-es256', against: 'express-oauth2-jwt-bearer-dpop', min: 1.3 },
    { label: 'Keyturn DPoP bearer check ≥ 1.3 × express-oauth2-jwt-bearer with DPoP (same token algorithm)', subject: 'keyturn-dpop-es256', against: 'express-oauth2-jwt-bearer-dpop-es256', min: 1.3 },
    { label: 'Keyturn requireBearer({ issuer }) DPoP ≥ 1.3 × express-oauth2-jwt-bearer with DPoP (RS256 token)', subject: 'keyturn-require-bearer-dpop-es256', against: 'express-oauth2-jwt-bearer-dpop', min: 1.3 },
  ],
  notes: [
    'Each proof is single-use, so the load generator cannot repeat one request: bench/load-hooks/dpop-proofs.ts signs up to 60 000 proofs ' +
      '(for at most 4 s) before each load run starts and hands one to each request, signing more on the fly once they run out or are 30 s old ' +
      '(the servers accept a proof for 60 s after its iat; express-oauth2-jwt-bearer for 300 s).',
  ],
};
