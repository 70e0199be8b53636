import type { ContractArea } from '../contract-case';
import { randomHash } from '../fixtures';

// DPoP proofs (RFC 9449 §11.1) and client assertions (RFC 7523 §3) are accepted once: the store's useOnce is
// the replay cache, shared by every instance, so the check must be atomic and must not mix namespaces.

export const oneTimeValues: ContractArea = {
  title: 'one-time values (DPoP proof and client assertion replay)',
  cases: [
    {
      name: 'the first use of an id is true, every later one false',
      async run({ store, expect }) {
        const id = randomHash();
        expect(await store.useOnce('dpop', id, 60)).toBe(true);
        expect(await store.useOnce('dpop', id, 60)).toBe(false);
        expect(await store.useOnce('dpop', id, 60)).toBe(false);
      },
    },
    {
      name: 'of concurrent uses of one id exactly one is first',
      async run({ store, expect }) {
        const id = randomHash();
        const answers = await Promise.all(Array.from({ length: 20 }, () => store.useOnce('assertion', id, 60)));
        expect(answers.filter(Boolean)).toHaveLength(1);
      },
    },
    {
      name: 'namespaces are apart: one id used in one namespace is still new in another',
      async run({ store, expect }) {
        const id = randomHash();
        expect(await store.useOnce('dpop', id, 60)).toBe(true);
        expect(await store.useOnce('assertion', id, 60)).toBe(true);
      },
    },
  ],
};
