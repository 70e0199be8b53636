// Scenario 4, peer: passport-http-bearer with opaque tokens in an in-memory Map, as its README shows
// (look the token up, answer the user, scope in the info object). The route checks the scope and expiry the
// way a real API would. The test token is created once at start-up and handed to the harness.
import { randomBytes } from 'node:crypto';
import express from 'express';
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { CLIENT_ID, RESOURCE_BODY, RESOURCE_PATH, SCOPE } from '../fixtures';
import { serve } from './serve';

interface TokenRecord {
  clientId: string;
  scope: string[];
  expiresAt: number;
}

const token = randomBytes(32).toString('base64url');
const tokens = new Map<string, TokenRecord>([[token, { clientId: CLIENT_ID, scope: [SCOPE], expiresAt: Date.now() + 3600_000 }]]);

passport.use(
  new BearerStrategy((presented, done) => {
    const record = tokens.get(presented);
    if (record === undefined || record.expiresAt <= Date.now()) return done(null, false);
    return done(null, { id: record.clientId }, { scope: record.scope, message: '' });
  }),
);

const app = express();
app.use(passport.initialize());
app.get(RESOURCE_PATH, passport.authenticate('bearer', { session: false }), (req, res) => {
  const scope = (req.authInfo as { scope?: string[] } | undefined)?.scope ?? [];
  if (!scope.includes(SCOPE)) {
    res.status(403).setHeader('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${SCOPE}"`).end();
    return;
  }
  res.json(RESOURCE_BODY);
});
serve(app, { requestHeaders: { Authorization: `Bearer ${token}` } });
