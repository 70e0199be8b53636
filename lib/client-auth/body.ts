import { Strategy } from 'passport-strategy';
import type { Request } from 'express';
import type { VerifyClient } from './verify-client';

/**
 * `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the request body, JSON or form.
 * The body has already been parsed and checked to hold only single string values.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export class ClientSecretPostStrategy extends Strategy {
  name = 'keyturn-client-secret-post';

  constructor(private readonly verify: VerifyClient) {
    super();
  }

  override authenticate(req: Request): void {
    const { client_id: clientId, client_secret: clientSecret } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') return this.fail(400);
    this.verify(clientId, clientSecret, 'client_secret_post', (err, client) => {
      if (err) this.error(err instanceof Error ? err : new Error(String(err)));
      else if (client) this.success(client);
      else this.fail(401);
    });
  }
}
