// Scenario 1, peer: @node-oauth/oauth2-server through its official Express wrapper
// (@node-oauth/express-oauth-server), which its README "strongly recommends" over a hand-rolled adapter.
// The body parsers are the ones the wrapper's docs show. The model is the smallest in-memory one that
// serves client_credentials: tokens are kept in a Map, as Keyturn's memory store keeps them.
//
// The secret is compared in plaintext, as the library's in-memory examples do. That favours this peer: a
// model that checked a scrypt hash on every request (there is no cache in the library) would be limited to
// a few dozen requests per second.
import { timingSafeEqual } from 'node:crypto';
import express from 'express';
import OAuthServer from '@node-oauth/express-oauth-server';
import type { Client, ClientCredentialsModel, Token, User } from '@node-oauth/oauth2-server';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_TTL } from '../fixtures';
import { serve } from './serve';

const client: Client = { id: CLIENT_ID, grants: ['client_credentials'], scopes: [SCOPE] };
const scopes: string[] = [SCOPE];
const secret = Buffer.from(CLIENT_SECRET);
const tokens = new Map<string, Token>();
const serviceUser: User = { id: CLIENT_ID };

const model: ClientCredentialsModel = {
  async getClient(clientId: string, clientSecret: string) {
    if (clientId !== client.id || clientSecret === null) return false;
    const presented = Buffer.from(clientSecret);
    return presented.length === secret.length && timingSafeEqual(presented, secret) ? client : false;
  },
  // client_credentials acts for the client itself: the "user" is the client's service identity.
  async getUserFromClient() {
    return serviceUser;
  },
  async validateScope(_user: User, _client: Client, scope?: string[]) {
    const requested = scope ?? scopes;
    return requested.every((s) => scopes.includes(s)) ? requested : false;
  },
  async saveToken(token: Token, savedClient: Client, user: User) {
    const stored: Token = { ...token, client: savedClient, user };
    tokens.set(token.accessToken, stored);
    return stored;
  },
  async getAccessToken(accessToken: string) {
    return tokens.get(accessToken) ?? false;
  },
};

const oauth = new OAuthServer({ model, accessTokenLifetime: TOKEN_TTL });
const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
app.post('/oauth2/token', oauth.token());
serve(app);
