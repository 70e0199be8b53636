// Reference for scenario 1: the least work an honest client_credentials endpoint on Express can do, written
// by hand with no framework on top: the same body parsers as bare Express, Basic decoding (RFC 6749 §2.3.1,
// split at the first colon and form-decoded), a secret check that costs one keyed SHA-256 (what a verified-
// secret cache costs per request; a fresh scrypt per request would cost tens of ms), a scope check, 256 random
// bits for the token, its SHA-256 as the storage key in a Map, and the §5.1 response. Keyturn cannot be faster
// than this on Express; the gap between it and bare Express is the price of the work itself.
// With JWT_ALG=ES256 (scenario 2) the token is instead an RFC 9068 JWT signed with node:crypto directly (no
// JWT library, nothing stored): the floor for a JWT token endpoint, one signature over the scenario-1 floor.
import { createHash, generateKeyPairSync, randomBytes, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import express from 'express';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_PATH, TOKEN_TTL } from '../fixtures';
import { serve } from './serve';

const cacheKey = randomBytes(32);
const keyed = (clientId: string, secret: string) => createHash('sha256').update(cacheKey).update(clientId).update('\0').update(secret).digest();
const clients = new Map([[CLIENT_ID, { id: CLIENT_ID, scopes: [SCOPE], verified: keyed(CLIENT_ID, CLIENT_SECRET) }]]);
const tokens = new Map<string, { clientId: string; scope: string[]; expiresAt: number }>();

const JWT_ALG = process.env.JWT_ALG;
if (JWT_ALG !== undefined && JWT_ALG !== 'ES256') throw new Error(`JWT_ALG must be ES256 when set, got ${JWT_ALG}`);
const signingKey: KeyObject | undefined = JWT_ALG === undefined ? undefined : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'bench-1' })).toString('base64url');

function mintToken(clientId: string, scope: string[]): string {
  if (signingKey === undefined) {
    const token = randomBytes(32).toString('base64url');
    tokens.set(createHash('sha256').update(token).digest('base64url'), { clientId, scope, expiresAt: Date.now() + TOKEN_TTL * 1000 });
    return token;
  }
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://bench.keyturn.test', sub: clientId, aud: 'https://api.bench.keyturn.test', exp: iat + TOKEN_TTL, iat,
    jti: randomBytes(16).toString('base64url'), client_id: clientId, scope: scope.join(' '),
  };
  const signingInput = `${JWT_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), { key: signingKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

function decodeBasic(header: string | undefined): [string, string] | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return [decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))];
  } catch {
    return undefined;
  }
}

const app = express();
app.post(TOKEN_PATH, express.json(), express.urlencoded({ extended: false }), (req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  const credentials = decodeBasic(req.headers.authorization);
  const client = credentials && clients.get(credentials[0]);
  if (credentials === undefined || client === undefined || !timingSafeEqual(keyed(credentials[0], credentials[1]), client.verified)) {
    res.status(401).setHeader('WWW-Authenticate', 'Basic realm="bench"').json({ error: 'invalid_client' });
    return;
  }
  const body = req.body as Record<string, unknown>;
  if (body.grant_type !== 'client_credentials') {
    res.status(400).json({ error: 'unsupported_grant_type' });
    return;
  }
  const scope = typeof body.scope === 'string' ? body.scope.split(' ') : client.scopes;
  if (!scope.every((s) => client.scopes.includes(s))) {
    res.status(400).json({ error: 'invalid_scope' });
    return;
  }
  res.json({ access_token: mintToken(client.id, scope), token_type: 'Bearer', expires_in: TOKEN_TTL, scope: scope.join(' ') });
});
serve(app);
