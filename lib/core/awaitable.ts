import type { Awaitable } from '../clients/client';

/**
 * True for a promise (or any thenable) rather than a value. Hot paths answer synchronously when they need no
 * I/O and branch on this, instead of awaiting every step: each awaited hop delays the request by a turn of
 * the event loop (bench/findings.md, scenario 4, measures it).
 */
export function isPromiseLike<T>(value: Awaitable<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
