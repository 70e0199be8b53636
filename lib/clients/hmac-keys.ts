import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Client } from './client';

// The HMAC keys of listed `client_secret_jwt` clients given a plaintext secret (development), by the frozen
// record the static store serves: the record itself then carries no secret.
const keys = new WeakMap<Client, KeyObject>();

/** Keeps a listed client's HMAC key beside its record, as a key object rather than a string field. */
export function registerHmacKey(client: Client, secret: string): void {
  keys.set(client, createSecretKey(Buffer.from(secret, 'utf8')));
}

/** The key {@link registerHmacKey} kept for this record, if any. */
export function registeredHmacKey(client: Client): KeyObject | undefined {
  return keys.get(client);
}
