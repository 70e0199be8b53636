import { Strategy } from 'passport-strategy';
import type { ClientAuthRequest } from './strategy-request';
import type { AssertionVerdict, PresentedAssertion } from './verify-assertion';

/** Checks one presented assertion at one endpoint; see `createVerifyAssertion`. */
export type VerifyAssertion = (presented: PresentedAssertion, endpoint: string, bodyClientId: string | undefined) => Promise<AssertionVerdict>;

/**
 * `private_key_jwt` and `client_secret_jwt` (RFC 7523 §2.2, OpenID Connect Core §9) as a Passport strategy,
 * one instance per method: `client_assertion_type` and `client_assertion` in the body, read by
 * `readCredentials`. A failure carries its reason as the challenge, which becomes the `error_description`.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export class ClientAssertionStrategy extends Strategy {
  constructor(
    readonly name: string,
    private readonly method: 'private_key_jwt' | 'client_secret_jwt',
    private readonly verify: VerifyAssertion,
  ) {
    super();
  }

  override authenticate(req: Parameters<Strategy['authenticate']>[0]): void {
    // Keyturn hands its strategies a view of the request, never an adapter's request.
    const { credentials, body, endpoint } = req as unknown as ClientAuthRequest;
    if (credentials.method !== this.method) return this.fail(400);
    this.verify(credentials, endpoint, body.client_id).then(
      (verdict) => ('client' in verdict ? this.success(verdict.client) : this.fail(verdict.failure, 401)),
      (err: unknown) => this.error(err instanceof Error ? err : new Error(String(err))),
    );
  }
}
