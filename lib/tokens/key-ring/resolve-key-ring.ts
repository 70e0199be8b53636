import { randomBytes } from 'node:crypto';
import { deriveKey, KEY_LABELS } from '../../crypto/derive-key';
import { knownKeys, optionalObject, positiveInteger } from '../../core/validate-option';
import { KeyRing } from './key-ring';

/** What the resolver reads of `options.keyRotation` (documented as `KeyRotationOptions`). */
export interface KeyRotationInput {
  readonly interval?: number;
  readonly publishAhead?: number;
}

const KNOWN = { interval: true, publishAhead: true } as const satisfies Record<keyof KeyRotationInput, true>;

/**
 * The key ring of a server that keeps its own keys, from `keyRotation`: a new key every 30 days by default,
 * published a day before it signs. `publishAhead` must cover a JWKS cached by a resource server
 * (`jwksMaxAge`), and a key stays published after its handover for `longestTokenLifetime` (at least
 * `interval`), so every token it signed still verifies. Without a `secret` the sealing key is random, which
 * suits only a store no other process reads; the caller refuses a shared store without one.
 */
export function resolveKeyRing(options: {
  readonly keyRotation: KeyRotationInput | undefined;
  readonly secret: Buffer | undefined;
  readonly jwksMaxAge: number;
  readonly longestTokenLifetime: number;
}): KeyRing {
  const rotation = optionalObject(options.keyRotation, 'options.keyRotation') ?? {};
  knownKeys(rotation, KNOWN, 'options.keyRotation');
  const interval = positiveInteger(rotation.interval, 'options.keyRotation.interval') ?? 30 * 86_400;
  const publishAhead = positiveInteger(rotation.publishAhead, 'options.keyRotation.publishAhead') ?? Math.min(86_400, Math.floor(interval / 2));
  if (publishAhead >= interval) throw new TypeError('options.keyRotation.publishAhead must be shorter than options.keyRotation.interval');
  if (publishAhead < options.jwksMaxAge) {
    throw new TypeError(`options.keyRotation.publishAhead (${publishAhead} s) must be at least options.jwksMaxAge (${options.jwksMaxAge} s): a cached JWKS must know a key before it signs`);
  }
  return new KeyRing({
    interval,
    publishAhead,
    retireAfter: Math.max(interval, options.longestTokenLifetime),
    // A quarter of the lead time: an instance that misses a read or two still learns of a key before it signs.
    refreshEvery: Math.max(1, Math.min(300, Math.floor(publishAhead / 4))),
    sealingKey: options.secret === undefined ? randomBytes(32) : deriveKey(options.secret, KEY_LABELS.keyRing),
    now: Date.now,
  });
}
