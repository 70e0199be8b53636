import { Strategy } from 'passport-strategy';
import type { ClientAuthRequest } from './strategy-request';
import type { VerifyClient } from './verify-client';

/**
 * Token endpoint auth method `none` (RFC 7591 §2): a public client identifies itself by `client_id` alone.
 * Only clients registered with `tokenEndpointAuthMethod: 'none'` pass; grants that serve public clients
 * bind the request some other way (PKCE).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.1
 */
export class PublicClientStrategy extends Strategy {
  name = 'keyturn-client-none';

  constructor(private readonly verify: VerifyClient) {
    super();
  }

  override authenticate(req: Parameters<Strategy['authenticate']>[0]): void {
    // Keyturn hands its strategies a view of the request, never an adapter's request.
    const { credentials } = req as unknown as ClientAuthRequest;
    if (credentials.method !== 'none') return this.fail(400);
    this.verify(credentials.clientId, undefined, 'none', (err, client) => {
      if (err) this.error(err instanceof Error ? err : new Error(String(err)));
      else if (client) this.success(client);
      else this.fail(401);
    });
  }
}
