// RFC 6749 §4.4: "The client can request an access token using only its client credentials when the client
// is requesting access to the protected resources under its control". §4.4.2: scope is OPTIONAL; §3.3: "If
// the client omits the scope parameter when requesting authorization, the authorization server MUST either
// process the request using a pre-defined default value or fail the request". §4.4.3: "A refresh token
// SHOULD NOT be included" (Moov's API includes one; so does Keyturn for clients allowed the refresh_token
// grant, unless built with issueRefreshToken: false).
// The grant's handle() is called directly, with a real memory store and token issuer.
import type { Client } from '../../lib';
import { InvalidScopeError } from '../../lib/errors';
import { clientCredentialsGrant, createClientCredentialsGrant } from '../../lib/grants/client-credentials';
import {
  ACCESS_TTL,
  accessRecord,
  FAMILY_TOKEN,
  familyOf,
  fixClock,
  issuing,
  PLAIN_TOKEN,
  REFRESH_TTL,
  refreshRecord,
  sha256,
  T0_SECONDS,
} from '../support/token-issuing';

const JOB: Client = {
  clientId: 'reporting-job',
  clientSecret: 'job-secret',
  grants: ['client_credentials'],
  scopes: ['/accounts.read', '/accounts.write', '/profile'],
  defaultScopes: ['/accounts.read'],
};
const REFRESHING: Client = { ...JOB, clientId: 'refreshing-job', grants: ['client_credentials', 'refresh_token'] };

beforeEach(fixClock);
afterEach(() => jest.useRealTimers());

describe('RFC 6749 §4.4 client credentials grant', () => {
  it('names the grant type it serves and needs no parameter beyond grant_type', () => {
    expect(clientCredentialsGrant.type).toBe('client_credentials');
    expect(clientCredentialsGrant.requiredParameters).toBeUndefined();
  });

  it('§3.3: without a scope parameter the client\'s default scopes are granted; sub is the client itself', async () => {
    const { store, context } = issuing();
    const response = await clientCredentialsGrant.handle(context(JOB));
    expect(response).toEqual({ access_token: expect.stringMatching(PLAIN_TOKEN), token_type: 'Bearer', expires_in: ACCESS_TTL, scope: '/accounts.read' });
    expect(await accessRecord(store, response.access_token)).toEqual({
      clientId: 'reporting-job',
      sub: 'reporting-job',
      scope: ['/accounts.read'],
      issuedAt: T0_SECONDS,
      expiresAt: T0_SECONDS + ACCESS_TTL,
    });
    expect(store.accessTokenCount).toBe(1);
  });

  it('§3.3: a client without defaultScopes is granted every scope it is registered for', async () => {
    const { context } = issuing();
    const { defaultScopes: _none, ...everything } = JOB;
    const response = await clientCredentialsGrant.handle(context(everything));
    expect(response.scope).toBe('/accounts.read /accounts.write /profile');
  });

  it('§3.3: a requested scope within the registration is granted as asked, duplicates folded, order kept', async () => {
    const { store, context } = issuing();
    const response = await clientCredentialsGrant.handle(context(JOB, { scope: '/profile  /accounts.write /profile' }));
    expect(response.scope).toBe('/profile /accounts.write');
    expect(await accessRecord(store, response.access_token)).toMatchObject({ scope: ['/profile', '/accounts.write'] });
  });

  it('§5.2 invalid_scope: a scope outside the registration is refused, and nothing is stored', async () => {
    const { store, context } = issuing();
    const failure = clientCredentialsGrant.handle(context(JOB, { scope: '/accounts.read /admin' }));
    await expect(failure).rejects.toBeInstanceOf(InvalidScopeError);
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_scope',
      status: 400,
      description: 'scope not allowed: /admin',
      parameter: 'scope',
      parameterValue: '/accounts.read /admin',
    });
    expect(store.accessTokenCount).toBe(0);
  });

  it('§3.3 scope-token syntax: a double quote or backslash in a scope is invalid_scope', async () => {
    const { store, context } = issuing();
    for (const scope of ['/accounts.read "x"', 'a\\b']) {
      await expect(clientCredentialsGrant.handle(context(JOB, { scope }))).rejects.toMatchObject({
        code: 'invalid_scope',
        description: 'scope contains a character RFC 6749 §3.3 does not allow',
      });
    }
    expect(store.accessTokenCount).toBe(0);
  });

  it('§5.1: a client registered for no scope gets a response without a scope member', async () => {
    const { context } = issuing();
    const response = await clientCredentialsGrant.handle(context({ ...JOB, scopes: [], defaultScopes: [] }));
    expect(response).toEqual({ access_token: expect.stringMatching(PLAIN_TOKEN), token_type: 'Bearer', expires_in: ACCESS_TTL });
  });

  it('the client\'s accessTokenTtl sets expires_in and the stored expiry', async () => {
    const { store, context } = issuing();
    const response = await clientCredentialsGrant.handle(context({ ...JOB, accessTokenTtl: 60 }));
    expect(response.expires_in).toBe(60);
    expect(await accessRecord(store, response.access_token)).toMatchObject({ expiresAt: T0_SECONDS + 60 });
  });

  it('Moov: a client allowed the refresh_token grant also gets a refresh token, whose family the access token joins', async () => {
    const { store, context } = issuing();
    const response = await clientCredentialsGrant.handle(context(REFRESHING));
    expect(response).toEqual({
      access_token: expect.stringMatching(FAMILY_TOKEN),
      token_type: 'Bearer',
      expires_in: ACCESS_TTL,
      scope: '/accounts.read',
      refresh_token: expect.stringMatching(FAMILY_TOKEN),
    });
    const familyId = familyOf(response.refresh_token as string);
    expect(familyOf(response.access_token)).toBe(familyId);
    expect(await refreshRecord(store, response.refresh_token as string)).toEqual({
      clientId: 'refreshing-job',
      sub: 'refreshing-job',
      scope: ['/accounts.read'],
      familyId,
      issuedAt: T0_SECONDS,
      expiresAt: T0_SECONDS + REFRESH_TTL,
    });
    expect(await accessRecord(store, response.access_token)).toMatchObject({ familyId });
  });

  it('§4.4.3: built with issueRefreshToken: false, no refresh token even for a client allowed one, and no family stored', async () => {
    const { store, context } = issuing();
    const grant = createClientCredentialsGrant({ issueRefreshToken: false });
    const response = await grant.handle(context(REFRESHING));
    expect(response).toEqual({ access_token: expect.stringMatching(PLAIN_TOKEN), token_type: 'Bearer', expires_in: ACCESS_TTL, scope: '/accounts.read' });
    expect(await accessRecord(store, response.access_token)).not.toHaveProperty('familyId');
    expect(store.accessTokenCount).toBe(1);
  });

  it('stores the token under its SHA-256 only: the token itself is no key of the store', async () => {
    const { store, context } = issuing();
    const response = await clientCredentialsGrant.handle(context(JOB));
    expect(await store.findAccessToken(response.access_token)).toBeUndefined();
    expect(await store.findAccessToken(sha256(response.access_token))).toMatchObject({ clientId: 'reporting-job' });
  });
});
