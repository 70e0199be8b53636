// Scenario 1, peer: oauth2orize with Passport, set up as oauth2orize's README shows for a token endpoint:
// passport-http's BasicStrategy authenticates the client, the clientCredentials exchange issues the token,
// and server.errorHandler() renders errors. Tokens: 32 random bytes in a Map, like Keyturn's opaque tokens.
//
// The secret is compared in plaintext, as the oauth2orize examples do (see the note in
// node-oauth2-server-client-credentials.ts: this favours the peer).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express from 'express';
import oauth2orize from 'oauth2orize';
import passport from 'passport';
import { BasicStrategy } from 'passport-http';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_TTL } from '../fixtures';
import { serve } from './serve';

interface BenchClient {
  id: string;
  secret: Buffer;
  scopes: string[];
}

const clients = new Map<string, BenchClient>([[CLIENT_ID, { id: CLIENT_ID, secret: Buffer.from(CLIENT_SECRET), scopes: [SCOPE] }]]);
const tokens = new Map<string, { clientId: string; scope: string[]; expiresAt: number }>();

passport.use(
  new BasicStrategy((clientId, clientSecret, done) => {
    const client = clients.get(clientId);
    if (client === undefined) return done(null, false);
    const presented = Buffer.from(clientSecret);
    return done(null, presented.length === client.secret.length && timingSafeEqual(presented, client.secret) ? client : false);
  }),
);

const server = oauth2orize.createServer();
server.exchange(
  oauth2orize.exchange.clientCredentials((client: BenchClient, scope: string[] | undefined, done) => {
    const granted = scope ?? client.scopes;
    if (!granted.every((s) => client.scopes.includes(s))) return done(new oauth2orize.TokenError('scope not allowed', 'invalid_scope'));
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { clientId: client.id, scope: granted, expiresAt: Date.now() + TOKEN_TTL * 1000 });
    // No refresh token for client_credentials (RFC 6749 §4.4.3); the extra response parameters come fourth.
    done(null, token, undefined, { expires_in: TOKEN_TTL, scope: granted.join(' ') });
  }),
);

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
app.use(passport.initialize());
app.post('/oauth2/token', passport.authenticate('basic', { session: false }), server.token(), server.errorHandler());
serve(app);
