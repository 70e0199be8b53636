import type { ContractArea } from '../contract-case';
import { codeRecord, randomHash } from '../fixtures';

// RFC 6749 §4.1.2: "The client MUST NOT use the authorization code more than once."
export const authorizationCodes: ContractArea = {
  title: 'authorization codes (RFC 6749 §4.1.2)',
  cases: [
    {
      name: 'hands out a code once: consumed, then reused with the same record',
      async run({ store, expect }) {
        const hash = randomHash();
        const record = codeRecord();
        await store.saveAuthorizationCode(hash, record, 60);
        expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'consumed', record });
        expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'reused', record });
        expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'reused', record });
      },
    },
    {
      name: 'keeps a record without the optional fields as saved',
      async run({ store, expect }) {
        const hash = randomHash();
        const { codeChallenge: _challenge, codeChallengeMethod: _method, nonce: _nonce, ...record } = codeRecord();
        await store.saveAuthorizationCode(hash, { ...record, redirectUriSent: false }, 60);
        expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'consumed', record: { ...record, redirectUriSent: false } });
      },
    },
    {
      name: 'answers unknown for a code never saved',
      async run({ store, expect }) {
        expect(await store.consumeAuthorizationCode(randomHash(), 3600)).toEqual({ status: 'unknown' });
      },
    },
    {
      name: 'is atomic: of 10 concurrent consumers exactly one gets the code, the others see reuse',
      async run({ store, expect }) {
        const hash = randomHash();
        await store.saveAuthorizationCode(hash, codeRecord(), 60);
        const results = await Promise.all(Array.from({ length: 10 }, () => store.consumeAuthorizationCode(hash, 3600)));
        expect(results.filter((r) => r.status === 'consumed')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'reused')).toHaveLength(9);
      },
    },
  ],
};
