// Scenario 2, peer: oauth2orize + passport-http (as in scenario 1) issuing JWT access tokens with
// jsonwebtoken. JWT_ALG=ES256 (default) or RS256. The signing key is generated once at start-up and handed
// to jsonwebtoken as a crypto.KeyObject, the fast form (a PEM string or Buffer would be parsed per call).
// Claims follow RFC 9068 (JWT profile for access tokens), the same set a Keyturn JWT carries.
import { generateKeyPairSync, randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import oauth2orize from 'oauth2orize';
import passport from 'passport';
import { BasicStrategy } from 'passport-http';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_TTL } from '../fixtures';
import { serve } from './serve';

const ALG = process.env.JWT_ALG ?? 'ES256';
if (ALG !== 'ES256' && ALG !== 'RS256') throw new Error(`JWT_ALG must be ES256 or RS256, got ${ALG}`);
const { privateKey } =
  ALG === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
const ISSUER = 'https://bench.keyturn.test';
const AUDIENCE = 'https://api.bench.keyturn.test';

interface BenchClient {
  id: string;
  secret: Buffer;
  scopes: string[];
}
const clients = new Map<string, BenchClient>([[CLIENT_ID, { id: CLIENT_ID, secret: Buffer.from(CLIENT_SECRET), scopes: [SCOPE] }]]);

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
    const token = jwt.sign({ client_id: client.id, scope: granted.join(' ') }, privateKey, {
      algorithm: ALG,
      header: { alg: ALG, typ: 'at+jwt', kid: 'bench-1' },
      expiresIn: TOKEN_TTL,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: client.id,
      jwtid: randomUUID(),
    });
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
