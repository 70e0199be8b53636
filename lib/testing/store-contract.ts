import type { Store } from '../store/store';
import { accessTokens } from './cases/access-tokens';
import { authorizationCodes } from './cases/authorization-codes';
import { consent } from './cases/consent';
import { expiry } from './cases/expiry';
import { familyRevocation } from './cases/family-revocation';
import { jwtRevocation } from './cases/jwt-revocation';
import { keyRing } from './cases/key-ring';
import { members } from './cases/members';
import { oneTimeValues } from './cases/one-time-values';
import { rateLimiter } from './cases/rate-limiter';
import { refreshGraceWindow } from './cases/refresh-grace-window';
import { refreshRotation } from './cases/refresh-rotation';
import { resourceAudience } from './cases/resource-audience';
import { storedEntries } from './cases/stored-entries';
import type { ContractArea, ContractContext, StoreContractSetup } from './contract-case';
import { hostRunner } from './runner';

/** Every part of the contract, in the order the suite runs them. */
export const CONTRACT_AREAS: readonly ContractArea[] = [
  members,
  accessTokens,
  jwtRevocation,
  refreshRotation,
  refreshGraceWindow,
  resourceAudience,
  familyRevocation,
  authorizationCodes,
  consent,
  oneTimeValues,
  keyRing,
  rateLimiter,
  expiry,
  storedEntries,
];

/**
 * Defines the Store contract suite in the calling test file: one `describe` with a test per behaviour that
 * Keyturn relies on, across every member of {@link Store}: opaque access tokens, revoked JWT ids, refresh
 * token rotation and reuse detection (atomic under concurrency) with its optional grace window, grant family
 * revocation, authorization codes (single use, atomic), remembered consent, the key ring (compare-and-set,
 * two instances racing to rotate), rate limiters, and expiry of each. An adapter that passes
 * can be given to `createAuthorizationServer({ store })` in place of the memory or Redis store.
 *
 * The suite registers itself with the test runner's globals (`describe`, `it`, `beforeAll`, `afterAll`,
 * `expect`), so call it at the top level of a jest or vitest test file; vitest needs `test.globals: true`.
 * A run takes a few seconds: two tests wait for one-second TTLs to pass.
 *
 * What is checked goes through the `Store` interface only. When the setup also has `inspect` (a listing of
 * what the backend holds for this run), the suite checks that every entry expires by itself.
 *
 * @param name Names the adapter in the suite's title.
 * @param setup Builds the store (the suite closes it at the end, then calls `release`).
 * @example
 * ```ts
 * // postgres-store.contract.test.ts, in the adapter's own repository
 * import type { Store } from 'keyturn';
 * import { storeContract } from 'keyturn/testing';
 *
 * // The adapter under test and its database client (node-postgres's Pool, say).
 * interface Pool {
 *   query(sql: string): Promise<{ rows: Array<{ key: string; value: string; expires_at: Date | null }> }>;
 *   end(): Promise<void>;
 * }
 * declare function connect(url: string | undefined): Pool;
 * declare function postgresStore(pool: Pool, options: { schema: string }): Store;
 *
 * let pool: Pool;
 * const schema = `contract_${process.pid}_${Date.now()}`;
 *
 * storeContract('postgresStore', {
 *   async createStore() {
 *     pool = connect(process.env.DATABASE_URL);
 *     return postgresStore(pool, { schema });
 *   },
 *   async inspect() {
 *     const { rows } = await pool.query(`SELECT key, value, expires_at FROM ${schema}.entries`);
 *     return rows.map((row) => ({
 *       key: row.key,
 *       value: row.value,
 *       ttlMs: row.expires_at === null ? undefined : row.expires_at.getTime() - Date.now(),
 *     }));
 *   },
 *   async release() {
 *     await pool.query(`DROP SCHEMA ${schema} CASCADE`);
 *     await pool.end();
 *   },
 * });
 * ```
 */
export function storeContract(name: string, setup: StoreContractSetup): void {
  const { describe, it, beforeAll, afterAll, expect } = hostRunner();
  const { createStore, inspect, release } = setup;
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    const context: ContractContext = {
      get store(): Store {
        if (store === undefined) throw new Error('storeContract: createStore() did not return a store');
        return store;
      },
      expect,
      inspect: async () => {
        if (inspect === undefined) throw new Error('storeContract: this case needs setup.inspect');
        return inspect.call(setup);
      },
    };
    beforeAll(async () => {
      store = await createStore.call(setup);
    });
    afterAll(async () => {
      try {
        await store?.close();
      } finally {
        await release?.call(setup);
      }
    });

    for (const area of CONTRACT_AREAS) {
      const cases = area.cases.filter((c) => c.needsInspect !== true || inspect !== undefined);
      // vitest fails a describe with no test in it, so an area left without cases gets none.
      if (cases.length === 0) continue;
      describe(area.title, () => {
        for (const c of cases) it(c.name, () => c.run(context), c.timeoutMs);
      });
    }
  });
}
