import type { ContractArea } from '../contract-case';
import { randomHash, rotate, startFamily } from '../fixtures';

// RFC 8707: the resources a grant was issued for (the family's `audience`) are kept with the refresh token and
// with each opaque access token, and a refresh may narrow them but never add one (§2.2), checked inside the
// rotation's one atomic step so that a refused refresh changes nothing.

const LEDGER = 'https://ledger.example/';
const PAYROLL = 'https://payroll.example/';

export const resourceAudience: ContractArea = {
  title: 'resource indicators (RFC 8707 §2.2): audiences of families and access tokens',
  cases: [
    {
      name: 'a family keeps its audience through rotations, and an access token saved with one returns it',
      async run({ store, expect }) {
        const family = await startFamily(store, { audience: [LEDGER, PAYROLL] });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        const { result, newTokenHash } = await rotate(store, family.familyId, family.tokenHash);
        expect(result).toMatchObject({ status: 'rotated', record: { audience: [LEDGER, PAYROLL] } });
        expect((await store.findRefreshToken(family.familyId, newTokenHash))?.audience).toEqual([LEDGER, PAYROLL]);
        const access = randomHash();
        await store.saveAccessToken(access, { clientId: 'client-a', sub: 'user-1', scope: [], issuedAt: 1, expiresAt: 4_000_000_000, audience: [LEDGER] }, 60);
        expect((await store.findAccessToken(access))?.audience).toEqual([LEDGER]);
      },
    },
    {
      name: 'a rotation naming a subset gives its access token that audience; naming none, the family\'s',
      async run({ store, expect }) {
        const family = await startFamily(store, { audience: [LEDGER, PAYROLL] });
        const narrowed = randomHash();
        const first = await rotate(store, family.familyId, family.tokenHash, { resource: [PAYROLL], accessToken: { tokenHash: narrowed, ttl: 60, allowedScope: ['read'] } });
        expect(first.result.status).toBe('rotated');
        expect((await store.findAccessToken(narrowed, family.familyId))?.audience).toEqual([PAYROLL]);
        const whole = randomHash();
        const second = await rotate(store, family.familyId, first.newTokenHash, { accessToken: { tokenHash: whole, ttl: 60, allowedScope: ['read'] } });
        expect(second.result.status).toBe('rotated');
        expect((await store.findAccessToken(whole, family.familyId))?.audience).toEqual([LEDGER, PAYROLL]);
        // A family granted no resource: its access tokens have no audience of their own.
        const plain = await startFamily(store);
        const access = randomHash();
        await rotate(store, plain.familyId, plain.tokenHash, { accessToken: { tokenHash: access, ttl: 60, allowedScope: ['read'] } });
        expect((await store.findAccessToken(access, plain.familyId))?.audience).toBeUndefined();
      },
    },
    {
      name: 'a rotation naming a resource outside the family\'s is invalid_target and changes nothing',
      async run({ store, expect }) {
        const family = await startFamily(store, { audience: [LEDGER] });
        const access = randomHash();
        const refused = await rotate(store, family.familyId, family.tokenHash, { resource: [LEDGER, PAYROLL], accessToken: { tokenHash: access, ttl: 60, allowedScope: ['read'] } });
        expect(refused.result).toEqual({ status: 'invalid_target' });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        expect(await store.findAccessToken(access, family.familyId)).toBeUndefined();
        const plain = await startFamily(store);
        expect((await rotate(store, plain.familyId, plain.tokenHash, { resource: [LEDGER] })).result).toEqual({ status: 'invalid_target' });
        expect(await store.findRefreshToken(plain.familyId, plain.tokenHash)).toEqual(plain.record);
        expect((await rotate(store, family.familyId, family.tokenHash, { resource: [LEDGER] })).result.status).toBe('rotated');
      },
    },
    {
      name: 'allowedResources keeps only the resources the client may still hold; none left is invalid_target and changes nothing',
      async run({ store, expect }) {
        const family = await startFamily(store, { audience: [LEDGER, PAYROLL] });
        const access = randomHash();
        const kept = await rotate(store, family.familyId, family.tokenHash, { allowedResources: [PAYROLL], accessToken: { tokenHash: access, ttl: 60, allowedScope: ['read'] } });
        expect(kept.result.status).toBe('rotated');
        expect((await store.findAccessToken(access, family.familyId))?.audience).toEqual([PAYROLL]);
        const none = randomHash();
        const refused = await rotate(store, family.familyId, kept.newTokenHash, { allowedResources: [], accessToken: { tokenHash: none, ttl: 60, allowedScope: ['read'] } });
        expect(refused.result).toEqual({ status: 'invalid_target' });
        expect(await store.findRefreshToken(family.familyId, kept.newTokenHash)).toBeDefined();
        expect(await store.findAccessToken(none, family.familyId)).toBeUndefined();
        // A family granted no resource is not affected by the filter.
        const plain = await startFamily(store);
        expect((await rotate(store, plain.familyId, plain.tokenHash, { allowedResources: [] })).result.status).toBe('rotated');
      },
    },
  ],
};
