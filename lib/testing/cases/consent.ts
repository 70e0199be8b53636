import type { ContractArea } from '../contract-case';
import { nowSeconds, randomId } from '../fixtures';

export const consent: ContractArea = {
  title: 'remembered consent',
  cases: [
    {
      name: 'remembers consent per user and client, the later replacing the earlier',
      async run({ store, expect }) {
        const sub = randomId('user');
        const t = nowSeconds();
        expect(await store.findConsent(sub, 'c1')).toBeUndefined();
        await store.saveConsent(sub, 'c1', { scope: ['openid'], grantedAt: t }, 60);
        await store.saveConsent(sub, 'c1', { scope: ['openid', '/accounts.read'], grantedAt: t + 1 }, 60);
        expect(await store.findConsent(sub, 'c1')).toEqual({ scope: ['openid', '/accounts.read'], grantedAt: t + 1 });
        expect(await store.findConsent(sub, 'c2')).toBeUndefined();
        expect(await store.findConsent(randomId('user'), 'c1')).toBeUndefined();
      },
    },
    {
      name: 'keeps apart pairs whose concatenations are equal',
      async run({ store, expect }) {
        const base = randomId('u');
        const t = nowSeconds();
        await store.saveConsent(`${base}a`, 'bc', { scope: ['one'], grantedAt: t }, 60);
        await store.saveConsent(`${base}ab`, 'c', { scope: ['two'], grantedAt: t }, 60);
        expect(await store.findConsent(`${base}a`, 'bc')).toEqual({ scope: ['one'], grantedAt: t });
        expect(await store.findConsent(`${base}ab`, 'c')).toEqual({ scope: ['two'], grantedAt: t });
      },
    },
  ],
};
