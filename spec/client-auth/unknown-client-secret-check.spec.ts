// README: "an unknown client and a wrong secret fail alike", in the answer and in the work done. A wrong
// secret for a registered client costs a scrypt verification; an unknown client id (or one that may not use
// the method) presented with a secret costs the same check, against a decoy hash, or the response time would
// tell which client ids exist. Counted, not timed: the spec watches verifyClientSecretHash.
import request from 'supertest';
import * as secretHash from '../../lib/clients/secret-hash';
import { hashClientSecret } from '../../lib';
import { basic, buildTestApp } from '../support/app';

describe('client authentication: an unknown client costs what a wrong secret costs', () => {
  let app: ReturnType<typeof buildTestApp>['app'];
  beforeAll(async () => {
    const clientSecretHash = await hashClientSecret('right-secret', { logN: 10 });
    app = buildTestApp({
      clients: [
        { clientId: 'known', clientSecretHash, grants: ['client_credentials'], scopes: ['a'] },
        { clientId: 'post-only', clientSecretHash, grants: ['client_credentials'], scopes: ['a'], tokenEndpointAuthMethod: 'client_secret_post' },
      ],
    }).app;
  });
  afterEach(() => jest.restoreAllMocks());

  const checks = async (send: () => request.Test) => {
    const spy = jest.spyOn(secretHash, 'verifyClientSecretHash');
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    const count = spy.mock.calls.length;
    spy.mockRestore();
    return count;
  };

  it('body credentials: unknown id and wrong secret each run one scrypt check', async () => {
    const wrong = await checks(() => request(app).post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: 'known', client_secret: 'nope' }));
    const unknown = await checks(() => request(app).post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nope' }));
    expect({ wrong, unknown }).toEqual({ wrong: 1, unknown: 1 });
  });

  it('Basic credentials, and a client that may not use Basic, alike', async () => {
    const unknown = await checks(() => request(app).post('/oauth2/token').set('Authorization', basic('nobody', 'nope')).type('form').send({ grant_type: 'client_credentials' }));
    const wrongMethod = await checks(() => request(app).post('/oauth2/token').set('Authorization', basic('post-only', 'nope')).type('form').send({ grant_type: 'client_credentials' }));
    expect({ unknown, wrongMethod }).toEqual({ unknown: 1, wrongMethod: 1 });
  });
});
