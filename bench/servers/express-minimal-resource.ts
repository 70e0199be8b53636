// Reference for scenario 4: the least work a bearer check on Express can do for a token it has seen before,
// written by hand: read `Authorization: Bearer`, look the token up in a Map of verified tokens (what a
// verified-token cache costs), check `exp` and the scope, set `req.auth`, call the route. Synchronous, no
// revocation list, no error rendering beyond a bare 401. Keyturn's cached check cannot be cheaper than this on
// Express; the gap between this row and the bare GET is the price of any bearer middleware at all.
import { randomBytes } from 'node:crypto';
import express from 'express';
import { CLIENT_ID, RESOURCE_BODY, RESOURCE_PATH, SCOPE } from '../fixtures';
import { serve } from './serve';

interface VerifiedToken {
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly exp: number;
}

// As long as an ES256 access token of Keyturn's: the header value is hashed by the Map lookup.
const token = randomBytes(450).toString('base64url');
const verified = new Map<string, VerifiedToken>([[token, { sub: CLIENT_ID, scopes: [SCOPE], exp: Math.floor(Date.now() / 1000) + 3600 }]]);

const app = express();
app.get(
  RESOURCE_PATH,
  (req, res, next) => {
    const header = req.headers.authorization;
    const auth = header !== undefined && header.startsWith('Bearer ') ? verified.get(header.slice(7)) : undefined;
    if (auth === undefined || auth.exp <= Date.now() / 1000 || !auth.scopes.includes(SCOPE)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').end();
      return;
    }
    (req as unknown as { auth?: VerifiedToken }).auth = auth;
    next();
  },
  (_req, res) => {
    res.json(RESOURCE_BODY);
  },
);
serve(app, { requestHeaders: { Authorization: `Bearer ${token}` } });
