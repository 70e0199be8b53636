import { isPromiseLike } from './awaitable';

/**
 * One named step of an endpoint: it reads and fills the request state, and throws (or rejects with) an
 * `OAuthError` to end the request. A step that needs no I/O returns nothing, and the next one runs at once.
 */
export type Step<S> = (state: S) => void | Promise<void>;

/**
 * Runs the steps in order. Steps that answer synchronously cost no promise; the first that returns one is
 * awaited before the rest run.
 */
export function runSteps<S>(steps: readonly Step<S>[], state: S, from = 0): void | Promise<void> {
  for (let i = from; i < steps.length; i++) {
    const pending = (steps[i] as Step<S>)(state);
    if (pending !== undefined && isPromiseLike(pending)) return pending.then(() => runSteps(steps, state, i + 1));
  }
  return undefined;
}
