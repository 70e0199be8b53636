// The few test-runner functions the contract uses, typed here rather than taken from @types/jest or vitest, so
// the published declarations depend on neither and the suite runs in whichever runner the adapter uses. Jest
// and vitest (with `globals: true`) both put these on the global object, with these signatures.

/** The matchers the contract uses; jest and vitest implement each alike. */
export interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeUndefined(): void;
  toBeDefined(): void;
  toHaveLength(length: number): void;
  toContain(item: unknown): void;
  toBeGreaterThan(n: number): void;
  toBeLessThanOrEqual(n: number): void;
}

/** `expect(actual)`. */
export type Expect = (actual: unknown) => Matchers;

type Hook = (fn: () => Promise<void>, timeoutMs?: number) => void;

/** The runner's globals the contract registers its suite with. */
export interface TestRunner {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void>, timeoutMs?: number) => void;
  readonly beforeAll: Hook;
  readonly afterAll: Hook;
  readonly expect: Expect;
}

const NAMES = ['describe', 'it', 'beforeAll', 'afterAll', 'expect'] as const;

/** The host runner's globals, or an error that says how to expose them. */
export function hostRunner(): TestRunner {
  const scope = globalThis as Partial<Record<(typeof NAMES)[number], unknown>>;
  const missing = NAMES.filter((name) => typeof scope[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `storeContract: the test runner's ${missing.join(', ')} must be globals. Run it from a jest or vitest test file; in vitest set test.globals to true.`,
    );
  }
  return scope as unknown as TestRunner;
}
