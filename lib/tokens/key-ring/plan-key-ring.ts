import type { KeyRingRecord, StoredSigningKey } from '../../store/store';

/** The ring's schedule, in seconds (see `KeyRotationOptions`). */
export interface KeyRingSchedule {
  /** Seconds between new keys. */
  readonly interval: number;
  /** Seconds a new key is published before it signs. */
  readonly publishAhead: number;
  /** Seconds a key stays published after a newer one took over: longer than any token it signed lives. */
  readonly retireAfter: number;
}

/**
 * The key that signs at `now`: of the keys whose `signsFrom` has come, the latest (the smaller `kid` on a
 * tie). Every instance holding the same ring picks the same key, so exactly one key signs at a time.
 */
export function signingKeyAt(keys: readonly StoredSigningKey[], now: number): StoredSigningKey | undefined {
  let best: StoredSigningKey | undefined;
  for (const key of keys) {
    if (key.signsFrom > now) continue;
    if (best === undefined || key.signsFrom > best.signsFrom || (key.signsFrom === best.signsFrom && key.kid < best.kid)) best = key;
  }
  return best;
}

/** When the ring's signer next changes after `now` (the soonest future `signsFrom`), or `undefined`. */
export function nextSwitchAfter(keys: readonly StoredSigningKey[], now: number): number | undefined {
  let soonest: number | undefined;
  for (const key of keys) if (key.signsFrom > now && (soonest === undefined || key.signsFrom < soonest)) soonest = key.signsFrom;
  return soonest;
}

/**
 * What the ring should become at `now`, or `undefined` when it is fine as it is:
 * - no ring, or no key that signs: a new key that signs at once (nothing can have been signed before it);
 * - the newest key older than `interval`: a new key, signing `publishAhead` from now; the key it takes over
 *   from is marked to leave the ring `retireAfter` seconds after the handover;
 * - keys past their `publishedUntil` are dropped.
 * `makeKey(signsFrom)` makes the new key. Pure apart from that, so two instances given the same ring plan the
 * same change, and the store's compare-and-set keeps one.
 */
export function planKeyRing(
  ring: KeyRingRecord | undefined,
  now: number,
  schedule: KeyRingSchedule,
  makeKey: (signsFrom: number) => StoredSigningKey,
): KeyRingRecord | undefined {
  const live = (ring?.keys ?? []).filter((k) => k.publishedUntil === undefined || k.publishedUntil > now);
  const version = (ring?.version ?? 0) + 1;
  const signer = signingKeyAt(live, now);
  if (signer === undefined) {
    // A key waiting to sign (made by a rotation) is kept; the new key signs until it takes over.
    return { version, keys: [...live, makeKey(now)] };
  }
  const newest = live.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  if (newest.createdAt + schedule.interval <= now) {
    const next = makeKey(now + schedule.publishAhead);
    const handover = next.signsFrom;
    const keys = live.map((k) => (k.publishedUntil === undefined && k.signsFrom <= handover ? { ...k, publishedUntil: handover + schedule.retireAfter } : k));
    return { version, keys: [...keys, next] };
  }
  return live.length === ring?.keys.length ? undefined : { version, keys: live };
}
