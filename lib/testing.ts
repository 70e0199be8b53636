// `keyturn/testing`: the Store contract suite, for authors of Store adapters to run in their own jest or vitest
// suite. It loads no test framework itself: it registers with the runner's globals.

export { storeContract } from './testing/store-contract';
export type { StoreContractSetup, StoredEntry } from './testing/contract-case';
