import { isResourceIndicator } from './client-resources';
import type { Client, ClientStore } from './client';
import { isClientSecretHash } from './secret-hash';
import { sha256SecretDigest } from './secret-verifier';
import { registerHmacKey } from './hmac-keys';

/** Options of {@link staticClientStore}. */
export interface StaticClientStoreOptions {
  /** Accept `clientSecret` in plaintext (development only). Default: false. */
  allowPlaintextSecrets?: boolean;
}

/**
 * A {@link ClientStore} over a fixed list, checked once when it is built: duplicate ids, missing grants or
 * scopes, malformed secret hashes, (unless allowed) plaintext secrets, and a public client with `pkce: 'optional'`
 * or the `client_credentials` grant throw a `TypeError` naming the client.
 * Plaintext secrets are replaced by their SHA-256 digest, so the process keeps no secret in the clear.
 *
 * @example
 * ```ts
 * const clients = staticClientStore([
 *   { clientId: 'billing', clientSecretHash: process.env.BILLING_SECRET_HASH!, grants: ['client_credentials'], scopes: ['/accounts.read'] },
 * ]);
 * ```
 */
export function staticClientStore(clients: readonly Client[], options: StaticClientStoreOptions = {}): ClientStore {
  const byId = new Map<string, Client>();
  clients.forEach((client, index) => {
    const where = `clients[${index}]`;
    if (typeof client?.clientId !== 'string' || client.clientId === '') throw new TypeError(`${where}.clientId must be a non-empty string`);
    if (byId.has(client.clientId)) throw new TypeError(`${where}.clientId "${client.clientId}" is listed twice`);
    if (!Array.isArray(client.grants) || client.grants.length === 0) throw new TypeError(`${where}.grants must list at least one grant type`);
    if (!Array.isArray(client.scopes)) throw new TypeError(`${where}.scopes must be an array of scope strings`);
    if (client.defaultScopes?.some((s) => !client.scopes.includes(s))) {
      throw new TypeError(`${where}.defaultScopes must be a subset of scopes`);
    }
    if (client.accessTokenFormat !== undefined && client.accessTokenFormat !== 'opaque' && client.accessTokenFormat !== 'jwt') {
      throw new TypeError(`${where}.accessTokenFormat must be "opaque" or "jwt"`);
    }
    if (client.introspection !== undefined && client.introspection !== 'own' && client.introspection !== 'any') {
      throw new TypeError(`${where}.introspection must be "own" or "any"`);
    }
    // RFC 8707 §2: each an absolute URI without a fragment, as the requests naming them must be.
    if (client.resources !== undefined && (!Array.isArray(client.resources) || !client.resources.every(isResourceIndicator))) {
      throw new TypeError(`${where}.resources must be an array of absolute URIs without a fragment (RFC 8707 §2)`);
    }
    const isPublic = client.tokenEndpointAuthMethod === 'none';
    if (client.dpopBoundAccessTokens !== undefined && typeof client.dpopBoundAccessTokens !== 'boolean') {
      throw new TypeError(`${where}.dpopBoundAccessTokens must be a boolean`);
    }
    if (client.pkce !== undefined && client.pkce !== 'required' && client.pkce !== 'optional') {
      throw new TypeError(`${where}.pkce must be "required" or "optional"`);
    }
    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients": a public
    // client proves nothing by its client_id, so anyone could take its tokens.
    if (isPublic && client.grants.includes('client_credentials')) {
      throw new TypeError(
        `${where}.grants: "${client.clientId}" is a public client (tokenEndpointAuthMethod "none"), which may not use client_credentials; that grant is for confidential clients only (RFC 6749 §4.4)`,
      );
    }
    if (isPublic && client.pkce === 'optional') {
      throw new TypeError(
        `${where}.pkce: "${client.clientId}" is a public client (tokenEndpointAuthMethod "none"), which must use PKCE; "optional" is for confidential clients only (RFC 9700 §2.1.1)`,
      );
    }
    if (client.clientSecretHash !== undefined && !isClientSecretHash(client.clientSecretHash)) {
      throw new TypeError(`${where}.clientSecretHash is not a hash made by hashClientSecret()`);
    }
    if (client.clientSecret !== undefined && !options.allowPlaintextSecrets) {
      throw new TypeError(`${where}.clientSecret is plaintext: store clientSecretHash, or set allowPlaintextSecrets for development`);
    }
    // A JWT client's keys or sealed secret are checked with the server's other assertion settings.
    const isJwt = client.tokenEndpointAuthMethod === 'private_key_jwt' || client.tokenEndpointAuthMethod === 'client_secret_jwt';
    if (!isPublic && !isJwt && client.clientSecret === undefined && client.clientSecretHash === undefined) {
      throw new TypeError(`${where} needs clientSecretHash (or tokenEndpointAuthMethod "none" for a public client)`);
    }
    const { clientSecret, ...rest } = client;
    if (clientSecret !== undefined && client.tokenEndpointAuthMethod === 'client_secret_jwt') {
      // Its HMAC needs the secret itself: kept as a key object beside the record, never as a field of it.
      const record = Object.freeze(rest);
      registerHmacKey(record, clientSecret);
      byId.set(client.clientId, record);
      return;
    }
    byId.set(
      client.clientId,
      Object.freeze(clientSecret === undefined ? rest : { ...rest, clientSecretHash: sha256SecretDigest(clientSecret) }),
    );
  });
  return { findClient: (clientId) => byId.get(clientId) };
}
