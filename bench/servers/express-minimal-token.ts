// Reference for scenario 1: the least work an honest client_credentials endpoint on Express can do, written
// by hand with no framework on top: the same body parsers as bare Express, Basic decoding (RFC 6749 §2.3.1,
// split at the first colon and form-decoded), a secret check that costs one keyed SHA-256 (what a verified-
// secret cache costs per request; a fresh scrypt per request would cost tens of ms), a scope check, 256 random
// bits for the token, its SHA-256 as the storage key in a Map, and the §5.1 response. Keyturn cannot be faster
// than this on Express; the gap between it and bare Express is the price of the work itself.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_PATH, TOKEN_TTL } from '../fixtures';
import { serve } from './serve';

const cacheKey = randomBytes(32);
const keyed = (clientId: string, secret: string) => createHash('sha256').update(cacheKey).update(clientId).update('\0').update(secret).digest();
const clients = new Map([[CLIENT_ID, { id: CLIENT_ID, scopes: [SCOPE], verified: keyed(CLIENT_ID, CLIENT_SECRET) }]]);
const tokens = new Map<string, { clientId: string; scope: string[]; expiresAt: number }>();

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
  const token = randomBytes(32).toString('base64url');
  tokens.set(createHash('sha256').update(token).digest('base64url'), { clientId: client.id, scope, expiresAt: Date.now() + TOKEN_TTL * 1000 });
  res.json({ access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL, scope: scope.join(' ') });
});
serve(app);
