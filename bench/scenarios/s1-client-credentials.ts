import { BASIC_HEADER, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';
import type { SampleResponse, Scenario } from '../harness/scenario';

/** Every token endpoint must answer a real RFC 6749 §5.1 response; a fast wrong answer must not count. */
export function checkTokenResponse({ headers, body }: SampleResponse): string | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `body is not JSON: ${body.slice(0, 200)}`;
  }
  if (typeof json.access_token !== 'string' || json.access_token.length < 20) return `no access_token in ${body.slice(0, 200)}`;
  if (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer') return `token_type is not Bearer: ${body.slice(0, 200)}`;
  if (typeof json.expires_in !== 'number') return `no numeric expires_in: ${body.slice(0, 200)}`;
  if (!/no-store/.test(headers.get('cache-control') ?? '')) return 'Cache-Control: no-store is missing (RFC 6749 §5.1)';
  return undefined;
}

/** The token request every scenario-1 and scenario-2 server receives. */
export const tokenRequest = {
  method: 'POST',
  path: TOKEN_PATH,
  headers: { Authorization: BASIC_HEADER, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: TOKEN_FORM_BODY,
} as const;

export const clientCredentialsScenario: Scenario = {
  id: 's1-client-credentials',
  title: 'Scenario 1: client_credentials, opaque token, HTTP Basic, hashed client secret',
  description:
    'POST /oauth2/token with `Authorization: Basic` and the form body `grant_type=client_credentials&scope=/accounts.read`. ' +
    'Keyturn mints a 256-bit opaque token and keeps its hash in the memory store; the client secret is a scrypt hash from ' +
    '`hashClientSecret` (and, for comparison, a plaintext secret with `allowPlaintextSecrets`). The peers keep their tokens in ' +
    'a Map and compare the secret in plaintext, as their in-memory examples do. Bare Express runs the same two body parsers and ' +
    'answers a fixed token; bare node:http reads the body and answers the same bytes. "Express + hand-written minimal endpoint" ' +
    'does only the work no token endpoint can skip (Basic decoding, one keyed hash for the secret, a scope check, 256 random ' +
    'bits, a SHA-256 storage key, a Map entry): the floor for any library mounted in Express.',
  request: tokenRequest,
  expectStatus: 200,
  checkResponse: checkTokenResponse,
  baseline: 'express',
  contenders: [
    { id: 'keyturn-hashed', label: 'Keyturn (scrypt-hashed secret)', role: 'keyturn', server: 'keyturn-client-credentials', env: { SECRET_KIND: 'hashed' } },
    { id: 'keyturn-plaintext', label: 'Keyturn (plaintext secret)', role: 'keyturn', server: 'keyturn-client-credentials', env: { SECRET_KIND: 'plaintext' } },
    { id: 'node-oauth2-server', label: '@node-oauth/oauth2-server (express-oauth-server)', role: 'peer', server: 'node-oauth2-server-client-credentials' },
    { id: 'oauth2orize', label: 'oauth2orize + passport-http', role: 'peer', server: 'oauth2orize-client-credentials' },
    { id: 'express', label: 'bare Express (fixed token)', role: 'baseline', server: 'express-bare-token' },
    { id: 'express-minimal', label: 'Express + hand-written minimal endpoint (floor)', role: 'reference', server: 'express-minimal-token' },
    { id: 'node-http', label: 'bare node:http (fixed token)', role: 'reference', server: 'http-bare-token' },
  ],
  targets: [
    { label: 'Keyturn ≥ 0.90 × bare Express', subject: 'keyturn-hashed', against: 'express', min: 0.9 },
    { label: 'Keyturn ≥ 1.2 × the best peer', subject: 'keyturn-hashed', against: 'best-peer', min: 1.2 },
    { label: 'hashed secret within 5% of plaintext', subject: 'keyturn-hashed', against: 'keyturn-plaintext', min: 0.95 },
  ],
};
