/**
 * Lets concurrent attempts that are the same attempt (one client, one address, one secret) wait for the first
 * instead of each reserving a point of the lockout's budgets: a client that opens with a burst of parallel
 * requests then spends one reservation, not one per request, and cannot exceed its own budget by being busy.
 * An entry lives only while its attempt runs, so the map is as large as the requests in flight.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<void>>();

  /** The attempt running under `key`, if any. */
  current(key: string): Promise<void> | undefined {
    return this.running.get(key);
  }

  /** Runs `attempt` as the one under `key` until it settles. */
  run(key: string, attempt: () => Promise<void>): Promise<void> {
    const running = attempt();
    this.running.set(key, running);
    const clear = (): void => {
      if (this.running.get(key) === running) this.running.delete(key);
    };
    running.then(clear, clear);
    return running;
  }
}
