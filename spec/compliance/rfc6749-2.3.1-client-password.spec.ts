// RFC 6749 §2.3.1: "Clients in possession of a client password MAY use the HTTP Basic authentication
// scheme ... The client identifier is encoded using the "application/x-www-form-urlencoded" encoding
// algorithm per Appendix B, and the encoded value is used as the username; the client password is encoded
// using the same algorithm and used as the password." ... "the authorization server MAY support including
// the client credentials in the request-body". §2.3: "The client MUST NOT use more than one authentication
// method in each request." §5.2 invalid_client: "If the client attempted to authenticate via the
// "Authorization" request header field, the authorization server MUST respond with an HTTP 401".
import request from 'supertest';
import { basic, buildTestApp, expectNoStore, MOOV_CLIENT } from '../support/app';

const { clientId, clientSecret } = MOOV_CLIENT as { clientId: string; clientSecret: string };
const FAILED = { error: 'invalid_client', error_description: 'client authentication failed' };

/** Asserts a 200 token response whose scope shows which client was authenticated. */
function expectTokenFor(res: request.Response, scope: string): void {
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 900, scope });
}

describe('RFC 6749 §2.3.1 client password', () => {
  const { app } = buildTestApp({
    clients: [
      MOOV_CLIENT,
      { clientId: 'odd:id', clientSecret: 'p@ss:w+rd %41', grants: ['client_credentials'], scopes: ['a'] },
      { clientId: 'post-only', clientSecret: 'post-secret', grants: ['client_credentials'], scopes: ['a'], tokenEndpointAuthMethod: 'client_secret_post' },
      // A public client may not use client_credentials (RFC 6749 §4.4): the refresh grant serves it here.
      { clientId: 'public-app', grants: ['refresh_token'], scopes: ['a'], tokenEndpointAuthMethod: 'none' },
    ],
    grants: ['client_credentials', 'refresh_token'],
  });

  it('accepts client_secret_basic with a form body', async () => {
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(clientId, clientSecret)).type('form').send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('accepts client_secret_basic with a JSON body', async () => {
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(clientId, clientSecret)).send({ grant_type: 'client_credentials' });
    expectTokenFor(res, '/accounts.read /accounts.write');
  });

  it('form-decodes id and secret, splitting at the first colon (Appendix B)', async () => {
    const res = await request(app).post('/oauth2/token').set('Authorization', basic('odd:id', 'p@ss:w+rd %41')).type('form').send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('a');
  });

  it('accepts client_secret_post in a form body and in a JSON body', async () => {
    const form = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    const json = await request(app).post('/oauth2/token').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expectTokenFor(form, '/accounts.read /accounts.write');
    expectTokenFor(json, '/accounts.read /accounts.write');
  });

  it('answers a wrong Basic secret with 401 invalid_client and a Basic challenge', async () => {
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(clientId, 'wrong')).type('form').send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="keyturn"');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expectNoStore(res.headers);
  });

  it('answers a malformed Basic header with 401 invalid_client', async () => {
    for (const header of ['Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from('id:').toString('base64')}`, `Basic ${Buffer.from('%zz:x').toString('base64')}`]) {
      const res = await request(app).post('/oauth2/token').set('Authorization', header).type('form').send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    }
  });

  it('answers a wrong body secret and an unknown client alike: 401 invalid_client', async () => {
    const wrong = await request(app).post('/oauth2/token').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope' });
    const unknown = await request(app).post('/oauth2/token').send({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('answers a request with no credentials with 401 invalid_client', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication is required' });
  });

  it('§2.3: rejects credentials in both the header and the body with 400 invalid_request', async () => {
    const res = await request(app)
      .post('/oauth2/token')
      .set('Authorization', basic(clientId, clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client credentials must be sent either in the Authorization header or in the body, not both' });
  });

  it('rejects a body client_id that differs from the Basic client', async () => {
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(clientId, clientSecret)).type('form').send({ grant_type: 'client_credentials', client_id: 'someone-else' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client_id does not match the authenticated client' });
  });

  it('holds a client to its registered tokenEndpointAuthMethod', async () => {
    const viaBasic = await request(app).post('/oauth2/token').set('Authorization', basic('post-only', 'post-secret')).type('form').send({ grant_type: 'client_credentials' });
    const viaPost = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: 'post-only', client_secret: 'post-secret' });
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.body).toEqual(FAILED);
    expectTokenFor(viaPost, 'a');
  });

  it('identifies a public client by client_id alone, and no confidential client that way', async () => {
    // The public client gets past authentication to its grant, which refuses the unknown token (400, not 401).
    const pub = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: 'public-app' });
    const confidential = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId });
    expect(pub.status).toBe(400);
    expect(pub.body.error).toBe('invalid_grant');
    expect(confidential.status).toBe(401);
    expect(confidential.body).toEqual(FAILED);
  });
});

describe('basicWithBody: "accept-matching" (Moov compatibility)', () => {
  const { app } = buildTestApp({ clientAuthentication: { basicWithBody: 'accept-matching' } });
  const send = (authorization: string, secret = clientSecret) =>
    request(app).post('/oauth2/token').set('Authorization', authorization).send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });

  it('accepts matching credentials in both places', async () => {
    expectTokenFor(await send(basic(clientId, clientSecret)), '/accounts.read /accounts.write');
  });

  it('ignores an undecodable placeholder Basic header and authenticates the body credentials', async () => {
    expectTokenFor(await send('Basic REPLACE_BASIC_AUTH'), '/accounts.read /accounts.write');
    const wrong = await send('Basic REPLACE_BASIC_AUTH', 'wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(FAILED);
  });

  it('still rejects credentials that differ', async () => {
    const res = await send(basic(clientId, 'other-secret'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client credentials must be sent either in the Authorization header or in the body, not both' });
  });
});
