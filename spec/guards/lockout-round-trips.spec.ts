// What the lockout costs a client's steady traffic: nothing in the store once this instance has seen the
// client succeed from its address with a secret this process verified. Counted on a store whose rate limiters
// record every call they get.
import request from 'supertest';
import { hashClientSecret, type Client, type RateLimiter, type RateLimiterSettings } from '../../lib';
import { MemoryStore } from '../../lib/store/memory-store';
import { basic, buildTestApp } from '../support/app';

class CountingStore extends MemoryStore {
  calls: string[] = [];

  override createRateLimiter(settings: RateLimiterSettings): RateLimiter {
    const inner = super.createRateLimiter(settings);
    const counted = <K extends keyof RateLimiter>(name: K) =>
      ((...args: Parameters<RateLimiter[K]>) => {
        this.calls.push(`${settings.name}.${name}`);
        return (inner[name] as (...a: Parameters<RateLimiter[K]>) => ReturnType<RateLimiter[K]>)(...args);
      }) as RateLimiter[K];
    return { consume: counted('consume'), get: counted('get'), block: counted('block'), reset: counted('reset'), release: counted('release') };
  }
}

describe('lockout round trips', () => {
  let client: Client;
  beforeAll(async () => {
    client = { clientId: 'steady', clientSecretHash: await hashClientSecret('steady-secret'), grants: ['client_credentials'], scopes: [] };
  });

  const token = (app: ReturnType<typeof buildTestApp>['app'], secret: string) =>
    request(app).post('/oauth2/token').set('Authorization', basic(client.clientId, secret)).type('form').send('grant_type=client_credentials');

  it('the first success reserves and gives back; later ones with the verified secret touch no counter', async () => {
    const store = new CountingStore();
    const { app } = buildTestApp({ clients: [client], store, lockout: { maxFailures: 3 } });
    expect((await token(app, 'steady-secret')).status).toBe(200);
    const first = store.calls.splice(0);
    expect(first.filter((c) => c.endsWith('.consume'))).toEqual(['lockout:address.consume', 'lockout:pair.consume', 'lockout:client.consume']);
    expect(first).toEqual(expect.arrayContaining(['lockout:address.release', 'lockout:client.release', 'lockout:pair.release', 'lockout:known.block']));
    for (let i = 0; i < 5; i++) expect((await token(app, 'steady-secret')).status).toBe(200);
    expect(store.calls).toEqual([]);
  });

  it('a wrong secret from the same address is reserved before its hash, and keeps its points', async () => {
    const store = new CountingStore();
    const { app } = buildTestApp({ clients: [client], store, lockout: { maxFailures: 3 } });
    await token(app, 'steady-secret');
    store.calls.splice(0);
    expect((await token(app, 'wrong')).status).toBe(401);
    expect(store.calls.filter((c) => c.endsWith('.consume'))).toEqual(['lockout:address.consume', 'lockout:pair.consume', 'lockout:client.consume']);
    expect(store.calls.filter((c) => c.endsWith('.release'))).toEqual([]);
  });
});
