/**
 * Lets concurrent attempts that are the same attempt (one client, one address, one secret) wait for the first
 * instead of each reserving a point of the lockout's budgets: a client that opens with a burst of parallel
 * requests, or whose remembered verification has just expired under load, then spends one reservation, not
 * one per request, and cannot exceed its own budget by being busy. An entry lives only while its attempt
 * runs, so the map is as large as the requests in flight.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<void>>();

  /** The attempt running under `key`, if any: it settles as that attempt does. */
  current(key: string): Promise<void> | undefined {
    return this.running.get(key);
  }

  /** Runs `attempt` as the one under `key` until it settles. */
  run(key: string, attempt: () => Promise<void>): Promise<void> {
    return this.track(key, attempt());
  }

  /**
   * Marks an attempt already under way as the one under `key`, until the returned function says how it
   * ended: for an attempt that learns only midway that it must be checked.
   */
  hold(key: string): (outcome: { readonly failed: false } | { readonly failed: true; readonly error: unknown }) => void {
    let settle: (outcome: { readonly failed: false } | { readonly failed: true; readonly error: unknown }) => void = () => undefined;
    const held = new Promise<void>((resolve, reject) => {
      settle = (outcome) => (outcome.failed ? reject(outcome.error) : resolve());
    });
    this.track(key, held);
    return settle;
  }

  private track(key: string, attempt: Promise<void>): Promise<void> {
    this.running.set(key, attempt);
    const clear = (): void => {
      if (this.running.get(key) === attempt) this.running.delete(key);
    };
    attempt.then(clear, clear);
    return attempt;
  }
}
