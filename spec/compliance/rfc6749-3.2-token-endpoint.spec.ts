// RFC 6749 §3.2: "The client MUST use the HTTP "POST" method when making access token requests." ...
// "Parameters sent without a value MUST be treated as if they were omitted from the request. ... Request
// and response parameters MUST NOT be included more than once." §5.1: "The authorization server MUST
// include the HTTP "Cache-Control" response header field with a value of "no-store" in any response
// containing tokens ... as well as the "Pragma" response header field with a value of "no-cache"."
import request from 'supertest';
import { basic, buildTestApp, expectNoStore, MOOV_CLIENT } from '../support/app';

const auth = basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string);

describe('RFC 6749 §3.2 token endpoint request parsing', () => {
  const { app } = buildTestApp();
  const post = () => request(app).post('/oauth2/token').set('Authorization', auth);

  it('§5.1: token responses carry Cache-Control: no-store and Pragma: no-cache, JSON content type', async () => {
    const res = await post().type('form').send('grant_type=client_credentials');
    expect(res.status).toBe(200);
    expectNoStore(res.headers);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('rejects a content type other than form or JSON with 400 invalid_request', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await post().set('Content-Type', type).send('grant_type=client_credentials');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the request body must be application/x-www-form-urlencoded or application/json' });
      expectNoStore(res.headers);
    }
  });

  it('rejects a request with no body at all with 400 invalid_request', async () => {
    const res = await post();
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('answers a body over the 16 KiB default with 413 and a JSON error', async () => {
    const res = await post().type('form').send(`grant_type=client_credentials&pad=${'x'.repeat(16 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the request body is too large' });
  });

  it('honours a configured body limit', async () => {
    const { app: small } = buildTestApp({ bodyLimit: 64 });
    const res = await request(small).post('/oauth2/token').set('Authorization', auth).type('form').send(`grant_type=client_credentials&pad=${'x'.repeat(64)}`);
    expect(res.status).toBe(413);
  });

  it('rejects a form parameter included more than once with 400 invalid_request', async () => {
    const res = await post().type('form').send('grant_type=client_credentials&scope=%2Faccounts.read&scope=%2Faccounts.write');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'parameter scope is repeated' });
  });

  it('rejects non-string JSON values with 400 invalid_request', async () => {
    for (const value of [1, true, null, ['client_credentials'], { a: 1 }]) {
      const res = await post().send({ grant_type: value });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'parameter grant_type must be a string' });
    }
  });

  it('rejects malformed JSON and a JSON body that is not an object with 400 invalid_request', async () => {
    for (const body of ['{"grant_type":', '[]', '"client_credentials"', '42']) {
      const res = await post().set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
  });

  it('treats parameters sent without a value as omitted', async () => {
    const res = await post().type('form').send('grant_type=client_credentials&scope=');
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('/accounts.read /accounts.write');
  });

  it('ignores unrecognized parameters (§3.2)', async () => {
    const res = await post().type('form').send('grant_type=client_credentials&refresh_token=abc&foo=bar');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 900, scope: '/accounts.read /accounts.write' });
  });

  it('answers a missing grant_type with 400 invalid_request', async () => {
    const res = await post().type('form').send('scope=%2Faccounts.read');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'grant_type is required' });
  });

  it('answers an unknown grant_type with 400 unsupported_grant_type', async () => {
    const res = await post().type('form').send('grant_type=password&username=a&password=b');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unsupported_grant_type', error_description: 'grant_type is not supported' });
  });

  it('answers GET and other methods with 405, Allow: POST and a JSON error', async () => {
    for (const method of ['get', 'put', 'delete'] as const) {
      const res = await request(app)[method]('/oauth2/token');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body.error).toBe('invalid_request');
    }
  });

  it('leaves requests for other paths to the host app', async () => {
    const res = await request(app).get('/oauth2/elsewhere');
    expect(res.status).toBe(404);
  });
});

describe('defaultGrantType (requests that carry only client credentials)', () => {
  it('uses the configured grant when grant_type is missing', async () => {
    const { app } = buildTestApp({ defaultGrantType: 'client_credentials' });
    const res = await request(app).post('/oauth2/token').send({ client_id: MOOV_CLIENT.clientId, client_secret: MOOV_CLIENT.clientSecret });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
  });
});
