// Seed 000: Moov's POST /oauth2/token. The seed's two curl requests are replayed verbatim against the demo
// app (built from example-app/config.json, which carries the seed's demo client): one JSON, one form, both
// with body credentials next to a placeholder `Authorization: Basic REPLACE_BASIC_AUTH` header, and the
// same requests with the placeholder replaced by the real Basic credentials.
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import { loadConfigFile } from '../../example-app/config';
import { FAMILY_TOKEN } from '../support/access-tokens';
import { basic } from '../support/app';

const CLIENT_ID = '5clTR_MdVrrkgxw2';
const CLIENT_SECRET = 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-';
const JSON_BODY = `{"grant_type":"client_credentials","client_id":"${CLIENT_ID}","client_secret":"${CLIENT_SECRET}","scope":"/accounts.write","refresh_token":"i1qxz68gu50zp4i8ceyxqogmq7y0yienm52351c6..."}`;
const FORM_BODY = `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&scope=%2Faccounts.write&refresh_token=i1qxz68gu50zp4i8ceyxqogmq7y0yienm52351c6...`;

describe('seed: Moov POST /oauth2/token', () => {
  let app: Awaited<ReturnType<typeof buildApp>>['app'];
  beforeAll(async () => {
    ({ app } = buildApp(await loadConfigFile(`${__dirname}/../../example-app/config.json`)));
  });

  for (const authorization of ['Basic REPLACE_BASIC_AUTH', basic(CLIENT_ID, CLIENT_SECRET)]) {
    const label = authorization.includes('REPLACE') ? 'placeholder' : 'real';
    it(`JSON request with the ${label} Basic header gets a token`, async () => {
      const res = await request(app).post('/oauth2/token').set('Authorization', authorization).set('content-type', 'application/json').send(JSON_BODY);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.stringMatching(FAMILY_TOKEN), token_type: 'Bearer', expires_in: 900, scope: '/accounts.write', refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/) });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it(`form request with the ${label} Basic header gets a token`, async () => {
      const res = await request(app).post('/oauth2/token').set('Authorization', authorization).set('content-type', 'application/x-www-form-urlencoded').send(FORM_BODY);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: '/accounts.write' });
    });
  }

  it('a failed request answers {"error": ...} as the seed shows', async () => {
    const res = await request(app).post('/oauth2/token').set('content-type', 'application/json').send('{"client_id":"5clTR_MdVrrkgxw2"}');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });
});
