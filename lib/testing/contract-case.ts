import type { Store } from '../store/store';
import type { Expect } from './runner';
import type { storeContract } from './store-contract';

/**
 * One entry an adapter holds, as {@link StoreContractSetup.inspect} reports it.
 *
 * @example
 * ```ts
 * import type { StoredEntry } from 'keyturn/testing';
 *
 * const entry: StoredEntry = { key: 'keyturn:jti:4f2c', value: '1', ttlMs: 59_870 };
 * ```
 */
export interface StoredEntry {
  /** The key (or row id) as stored. */
  readonly key: string;
  /** The value as text, whatever its type in the backend. */
  readonly value: string;
  /** Milliseconds until the backend drops the entry by itself; `undefined` when it never will. */
  readonly ttlMs: number | undefined;
}

/**
 * The second argument of {@link storeContract}: how to build the adapter under test, and optionally how to
 * look inside its backend and clean up. Every test writes under random ids, so one store (on a backend shared
 * with other runs, under a prefix of its own) serves the whole suite.
 *
 * @example
 * ```ts
 * import { memoryStore } from 'keyturn';
 * import { storeContract, type StoreContractSetup } from 'keyturn/testing';
 *
 * const setup: StoreContractSetup = { createStore: () => memoryStore() };
 * storeContract('memoryStore', setup);
 * ```
 */
export interface StoreContractSetup {
  /** Builds the store, once, before the suite's first test. The suite closes it after its last. */
  createStore(): Store | Promise<Store>;
  /**
   * Every entry the store holds for this run (under its key prefix, schema, table…). When given, the suite
   * also checks what the backend keeps: every entry must expire by itself, within a day. Optional: without
   * it the store is still checked, through its interface.
   */
  inspect?(): Promise<readonly StoredEntry[]>;
  /** Releases what `createStore` acquired (connections, keys), after the store is closed. */
  release?(): void | Promise<void>;
}

/** What each case runs against. */
export interface ContractContext {
  readonly store: Store;
  readonly expect: Expect;
  /** The setup's `inspect`, given to the cases that need it (registered only when the setup has one). */
  readonly inspect: () => Promise<readonly StoredEntry[]>;
}

/** One behaviour of the contract. */
export interface ContractCase {
  readonly name: string;
  /** Only registered when the setup offers {@link StoreContractSetup.inspect}. */
  readonly needsInspect?: boolean;
  /** Longer than the runner's default when the case waits for entries to expire. */
  readonly timeoutMs?: number;
  run(context: ContractContext): Promise<void>;
}

/** The cases of one part of the Store interface. */
export interface ContractArea {
  readonly title: string;
  readonly cases: readonly ContractCase[];
}
