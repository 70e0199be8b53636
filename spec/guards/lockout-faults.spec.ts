// The lockout's points are spent only by a verdict on credentials. An error between the reservation and the
// verdict (the app's findClient throwing, a client_id that contradicts the credentials) gives them back, and a
// flood from an address whose budget is spent leaves no counter behind, so neither can shut the client out.
import request from 'supertest';
import { hashClientSecret, memoryStore, type Client } from '../../lib';
import { basic, buildTestApp } from '../support/app';

let client: Client;
beforeAll(async () => {
  client = { clientId: 'flaky', clientSecretHash: await hashClientSecret('flaky-secret'), grants: ['client_credentials'], scopes: [] };
});

const token = (app: ReturnType<typeof buildTestApp>['app'], authorization: string, body = 'grant_type=client_credentials') =>
  request(app).post('/oauth2/token').set('Authorization', authorization).type('form').send(body);

describe('lockout: errors and refusals spend nothing', () => {
  it('findClient failing after the reservation gives the points back: the right secret gets in once it recovers', async () => {
    let failures = 5;
    const clients = {
      findClient: async (id: string) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('client database unreachable');
        }
        return id === client.clientId ? client : undefined;
      },
    };
    const { app } = buildTestApp({ clients, lockout: { maxFailures: 3 }, onError: () => undefined });
    const during = [];
    for (let i = 0; i < 5; i++) during.push((await token(app, basic(client.clientId, 'flaky-secret'))).status);
    expect(during).toEqual([500, 500, 500, 500, 500]);
    expect((await token(app, basic(client.clientId, 'flaky-secret'))).status).toBe(200);
  });

  it('a client_id that contradicts the credentials gives the points back', async () => {
    const { app } = buildTestApp({ clients: [client], lockout: { maxFailures: 2 } });
    for (let i = 0; i < 4; i++) {
      expect((await token(app, basic(client.clientId, 'flaky-secret'), 'grant_type=client_credentials&client_id=someone-else')).status).toBe(400);
    }
    expect((await token(app, basic(client.clientId, 'flaky-secret'))).status).toBe(200);
  });

  it('a refused flood from a spent address adds no counter, so it cannot evict the client budget from a small memory store', async () => {
    const store = memoryStore({ maxEntries: 100 });
    const { app } = buildTestApp({ clients: [client], store, lockout: { maxFailures: 3, clientMaxFailures: 6, addressMaxFailures: 4 } });
    // Two addresses' worth of wrong guesses spend 4 of the client's 6. supertest always calls from one address,
    // so the pair budget (3) is what stops each burst: two bursts of 2 keep below it.
    const from = (ip: string) => request(app).post('/oauth2/token').set('X-Forwarded-For', ip);
    app.set('trust proxy', true);
    for (const ip of ['198.51.100.1', '198.51.100.2']) {
      for (let n = 0; n < 2; n++) expect((await from(ip).set('Authorization', basic(client.clientId, `guess-${n}`)).type('form').send('grant_type=client_credentials')).status).toBe(401);
    }
    // A third address spends its address budget, then floods random ids far past the store's 100 entries.
    for (let n = 0; n < 4; n++) await from('203.0.113.9').set('Authorization', basic(`spent-${n}`, 'x')).type('form').send('grant_type=client_credentials');
    for (let n = 0; n < 300; n++) {
      expect((await from('203.0.113.9').set('Authorization', basic(`flood-${n}`, 'x')).type('form').send('grant_type=client_credentials')).status).toBe(429);
    }
    // The client's budget survived: of three more guesses from a fourth address, only two are checked.
    const last = [];
    for (let n = 0; n < 3; n++) last.push((await from('198.51.100.4').set('Authorization', basic(client.clientId, `late-${n}`)).type('form').send('grant_type=client_credentials')).status);
    expect(last).toEqual([401, 401, 429]);
  });
});
