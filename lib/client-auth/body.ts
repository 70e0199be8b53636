import { Strategy } from 'passport-strategy';
import type { ClientAuthRequest } from './strategy-request';
import type { VerifyClient } from './verify-client';

/**
 * `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the request body, JSON or form.
 * `readCredentials` has taken them from the checked parameters.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export class ClientSecretPostStrategy extends Strategy {
  name = 'keyturn-client-secret-post';

  constructor(private readonly verify: VerifyClient) {
    super();
  }

  override authenticate(req: Parameters<Strategy['authenticate']>[0]): void {
    // Keyturn hands its strategies a view of the request, never an adapter's request.
    const { credentials, gate } = req as unknown as ClientAuthRequest;
    if (credentials.method !== 'client_secret_post') return this.fail(400);
    this.verify(
      credentials.clientId,
      credentials.clientSecret,
      'client_secret_post',
      (err, client) => {
        if (err) this.error(err instanceof Error ? err : new Error(String(err)));
        else if (client) this.success(client);
        else this.fail(401);
      },
      gate,
    );
  }
}
