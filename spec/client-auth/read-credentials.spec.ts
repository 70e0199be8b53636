// RFC 6749 §2.3.1: "The client identifier is encoded using the "application/x-www-form-urlencoded" encoding
// algorithm per Appendix B, and the encoded value is used as the username; the client password is encoded
// using the same algorithm and used as the password." So the Basic credential splits at the first colon and
// each half is form-decoded after (passport-http does neither). §2.3: "The client MUST NOT use more than one
// authentication method in each request" (basicWithBody 'reject'); Moov's clients send a placeholder Basic
// header next to body credentials ('accept-matching'). The credentials are decoded once, into the request
// state, and every later step (rate limit, lockout, the Passport strategies, events) reads them from there.
import request from 'supertest';
import type { Client } from '../../lib';
import { authenticateClient } from '../../lib/client-auth/authenticate-client';
import * as decodeBasic from '../../lib/client-auth/decode-basic';
import { readCredentials, type BasicWithBodyPolicy } from '../../lib/client-auth/read-credentials';
import { createVerifyClient } from '../../lib/client-auth/verify-client';
import { SecretVerifier } from '../../lib/clients/secret-verifier';
import { staticClientStore } from '../../lib/clients/static-client-store';
import type { PlainRequest } from '../../lib/http';
import { requestState, type RequestState } from '../../lib/core/request-state';
import { InvalidRequestError } from '../../lib/errors';
import { ServerEvents } from '../../lib/events/server-events';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';

const UNDECODABLE = { method: 'client_secret_basic', clientId: undefined, clientSecret: undefined };
const BOTH = 'client credentials must be sent either in the Authorization header or in the body, not both';

/** A request state after readParams, with these headers and parameters. */
function stateWith(authorization: string | string[] | undefined, params: Record<string, string> = {}): RequestState {
  const headers = authorization === undefined ? {} : { authorization };
  const request: PlainRequest = { method: 'POST', path: '/token', headers, ip: '203.0.113.7' };
  const state = requestState('token', { request, body: params, bodyType: 'form' });
  state.params = params;
  return state;
}

const read = (policy: BasicWithBodyPolicy, authorization: string | string[] | undefined, params: Record<string, string> = {}) => {
  const state = stateWith(authorization, params);
  readCredentials(policy)(state);
  return state.credentials;
};
/** `Authorization: Basic` of a raw user:password string, without the form-encoding of §2.3.1. */
const rawBasic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('RFC 6749 §2.3.1 client password in the Authorization header', () => {
  it.each([
    ['a plain id and secret', basic('reporting-job', 's3cret'), 'reporting-job', 's3cret'],
    ['a space and reserved characters, form-encoded as §2.3.1 asks', basic('my client', 'p@ss:w+rd&%'), 'my client', 'p@ss:w+rd&%'],
    ['non-ASCII, UTF-8 then form-encoded', basic('jöb', 'sécret✓'), 'jöb', 'sécret✓'],
    ['a raw colon in the secret: split at the first colon only', rawBasic('job:a:b:c'), 'job', 'a:b:c'],
    ['a raw "+", which form-decoding reads as a space', rawBasic('job:se+cret'), 'job', 'se cret'],
    ['an encoded colon in the id', rawBasic('tenant%3Ajob:secret'), 'tenant:job', 'secret'],
    ['the scheme in any case', `bAsIc ${Buffer.from('job:secret').toString('base64')}`, 'job', 'secret'],
    ['extra spaces around the credential', `Basic   ${Buffer.from('job:secret').toString('base64')}  `, 'job', 'secret'],
  ])('decodes %s', (_case, header, clientId, clientSecret) => {
    expect(read('reject', header)).toEqual({ method: 'client_secret_basic', clientId, clientSecret });
  });

  it.each([
    ['no credential after the scheme', 'Basic'],
    ['characters outside base64', 'Basic !!!not-base64!!!'],
    ['no colon', rawBasic('job-secret')],
    ['an empty client id', rawBasic(':secret')],
    ['an empty secret', rawBasic('job:')],
    ['a broken percent-escape', rawBasic('job:%zz')],
    ['Moov\'s documented placeholder', 'Basic REPLACE_BASIC_AUTH'],
  ])('a Basic header with %s is presented credentials that fail authentication, not a missing one', (_case, header) => {
    expect(read('reject', header)).toEqual(UNDECODABLE);
  });

  it('another scheme, or a word that merely starts with "Basic", is not Basic credentials', () => {
    expect(read('reject', 'Bearer abc')).toBeNull();
    expect(read('reject', `Basicx ${Buffer.from('job:secret').toString('base64')}`)).toBeNull();
    expect(read('reject', 'Bearer abc', { client_id: 'job', client_secret: 's' })).toEqual({ method: 'client_secret_post', clientId: 'job', clientSecret: 's' });
  });

  it('a repeated Authorization header (an array) is not read as credentials', () => {
    expect(read('reject', [basic('a', 'b'), basic('c', 'd')])).toBeNull();
  });
});

describe('credentials in the body (client_secret_post, none)', () => {
  it('client_id and client_secret: client_secret_post', () => {
    expect(read('reject', undefined, { client_id: 'job', client_secret: 's3cret' })).toEqual({ method: 'client_secret_post', clientId: 'job', clientSecret: 's3cret' });
  });

  it('client_id alone: a public client (none)', () => {
    expect(read('reject', undefined, { client_id: 'spa' })).toEqual({ method: 'none', clientId: 'spa', clientSecret: undefined });
  });

  it('no credentials at all, or a secret without an id: none presented (null)', () => {
    expect(read('reject', undefined)).toBeNull();
    expect(read('reject', undefined, { client_secret: 's3cret' })).toBeNull();
  });
});

describe('basicWithBody: credentials both in the header and in the body', () => {
  it.each(['reject', 'accept-matching'] as const)('%s: a Basic header with only client_id in the body is Basic', (policy) => {
    expect(read(policy, basic('job', 's3cret'), { client_id: 'job' })).toEqual({ method: 'client_secret_basic', clientId: 'job', clientSecret: 's3cret' });
  });

  it('reject (RFC 6749 §2.3): a body secret next to a Basic header is invalid_request, even when both agree', () => {
    for (const header of [basic('job', 's3cret'), basic('job', 'other'), 'Basic REPLACE_BASIC_AUTH']) {
      const state = stateWith(header, { client_id: 'job', client_secret: 's3cret' });
      expect(() => readCredentials('reject')(state)).toThrow(InvalidRequestError);
      expect(() => readCredentials('reject')(state)).toThrow(BOTH);
      expect(state.credentials).toBeUndefined();
    }
  });

  it('accept-matching: the same id and secret in both places are Basic credentials', () => {
    expect(read('accept-matching', basic('job', 's3cret'), { client_id: 'job', client_secret: 's3cret' })).toEqual({
      method: 'client_secret_basic',
      clientId: 'job',
      clientSecret: 's3cret',
    });
  });

  it('accept-matching: a different secret or a different id is still invalid_request', () => {
    for (const [header, params] of [
      [basic('job', 's3cret'), { client_id: 'job', client_secret: 's3cret-2' }],
      [basic('job', 's3cret'), { client_id: 'other', client_secret: 's3cret' }],
      [basic('job', 's3cret'), { client_secret: 's3cret' }],
    ] as const) {
      expect(() => readCredentials('accept-matching')(stateWith(header, params))).toThrow(BOTH);
    }
  });

  it('accept-matching: an undecodable placeholder header is ignored and the body speaks', () => {
    expect(read('accept-matching', 'Basic REPLACE_BASIC_AUTH', { client_id: 'job', client_secret: 's3cret' })).toEqual({
      method: 'client_secret_post',
      clientId: 'job',
      clientSecret: 's3cret',
    });
    expect(read('accept-matching', 'Basic REPLACE_BASIC_AUTH', { client_secret: 's3cret' })).toBeNull();
  });
});

describe('decoded once', () => {
  const clients: Client[] = [
    { clientId: 'reader', clientSecret: 'reader-secret', grants: ['client_credentials'], scopes: [] },
    { clientId: 'writer', clientSecret: 'writer-secret', grants: ['client_credentials'], scopes: [] },
  ];
  const authenticate = authenticateClient({
    realm: 'keyturn',
    verify: createVerifyClient(staticClientStore(clients, { allowPlaintextSecrets: true }), new SecretVerifier({ allowPlaintextSecrets: true })),
    events: new ServerEvents(),
    lockout: undefined,
    countFailure: undefined,
    fingerprint: (clientId, secret) => `${clientId}:${secret}`,
  });

  it('client authentication checks the credentials in the request state, not the header again', async () => {
    const headers: Record<string, string> = { authorization: basic('reader', 'reader-secret') };
    const state = requestState('token', { request: { method: 'POST', path: '/token', headers, ip: '203.0.113.7' }, body: {}, bodyType: 'form' });
    readCredentials('reject')(state);
    // Another well-formed Basic header after the read: the strategies must not decode it again.
    headers.authorization = basic('writer', 'writer-secret');
    await authenticate(state);
    expect(state.client?.clientId).toBe('reader');
  });

  it('undecodable Basic credentials fail authentication with invalid_client and the Basic challenge', async () => {
    const state = stateWith('Basic REPLACE_BASIC_AUTH');
    readCredentials('reject')(state);
    // A failure known without I/O is thrown at once: steps may answer synchronously.
    await expect((async () => authenticate(state))()).rejects.toMatchObject({
      code: 'invalid_client',
      status: 401,
      description: 'client authentication failed',
      headers: { 'WWW-Authenticate': 'Basic realm="keyturn"' },
    });
    expect(state.client).toBeUndefined();
  });

  it('a token request decodes its Basic header once, with the rate limit and the lockout both reading the client id', async () => {
    const { app } = buildTestApp({ rateLimit: { points: 100, durationSeconds: 60 }, lockout: { maxFailures: 5, baseSeconds: 1, maxSeconds: 4 } });
    const decode = jest.spyOn(decodeBasic, 'decodeBasicCredentials');
    try {
      const res = await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('grant_type=client_credentials');
      expect(res.status).toBe(200);
      expect(decode).toHaveBeenCalledTimes(1);
    } finally {
      decode.mockRestore();
    }
  });
});
