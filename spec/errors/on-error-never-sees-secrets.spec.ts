// README: "No error description, detail or event ever contains a token, a secret or an Authorization header",
// and the ErrorListener's TSDoc: "error.detail and error.cause hold what the client is not told; neither ever
// contains a secret or a token." A body that fails to parse is the case to watch: body-parser attaches the raw
// body to its error (err.body), and the JSON parser's message quotes part of it, so keeping that error as the
// cause hands every credential in the body to onError and so to the logs.
import { inspect } from 'node:util';
import request from 'supertest';
import type { OAuthError } from '../../lib/errors';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';

const SECRET = 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-';
const REFRESH = 'Zq3xUu0Yt9F8n2kJ4pQ7aA.Hk2LxV9mN3pQ8rS1tU5wY7zA0bC4dE6fG8hJ0kL2mN';

describe('onError never sees a credential from a body that failed to parse', () => {
  const errors: OAuthError[] = [];
  const { app } = buildTestApp({ onError: (err) => void errors.push(err), grants: ['client_credentials', 'refresh_token'] });
  const bodies = [
    `{"grant_type":"refresh_token","client_id":"${MOOV_CLIENT.clientId}","client_secret":"${SECRET}","refresh_token":"${REFRESH}"`,
    `{"client_secret":"${SECRET}" "refresh_token":"${REFRESH}"}`,
    `"${SECRET}${REFRESH}"`,
    `${SECRET}${REFRESH}`,
  ];

  it.each(bodies.map((body, i) => [i, body]))('malformed JSON body %i', async (_i, body) => {
    errors.length = 0;
    for (const path of ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect']) {
      const res = await request(app).post(path).set('Authorization', basic(MOOV_CLIENT.clientId, SECRET)).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
    expect(errors).toHaveLength(3);
    for (const err of errors) {
      const told = inspect(err, { depth: 10 });
      expect(told).not.toContain(SECRET);
      expect(told).not.toContain(REFRESH);
      expect(told).not.toContain(SECRET.slice(0, 10));
      expect(told).not.toContain(REFRESH.slice(0, 10));
    }
  });
});
