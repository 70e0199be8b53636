import { open, seal } from '../../crypto/seal';

/**
 * Seals a private key for the store with AES-256-GCM. The key id is the associated data, so a sealed key
 * moved under another key's id fails to open rather than sign under the wrong name.
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf
 */
export function sealPrivateKey(privateKeyPem: string, kid: string, key: Buffer): string {
  return seal(privateKeyPem, kid, key);
}

/**
 * Opens what {@link sealPrivateKey} sealed; `undefined` when it was sealed under another key (another
 * `secret`), for another key id, or was altered.
 */
export function openPrivateKey(sealed: string, kid: string, key: Buffer): string | undefined {
  return open(sealed, kid, key)?.toString('utf8');
}
