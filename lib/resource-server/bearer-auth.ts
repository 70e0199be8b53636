/**
 * What the bearer middleware knows about the request's access token, set as `req.auth`.
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'] }), (req, res) => {
 *   res.json({ owner: req.auth!.sub, client: req.auth!.clientId });
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export interface BearerAuth {
  /** The access token as presented. Never log it. */
  readonly token: string;
  /** The client the token was issued to (`client_id`). */
  readonly clientId: string;
  /** The resource owner (`sub`); the client id for client_credentials. */
  readonly sub: string;
  /** Granted scope tokens. */
  readonly scopes: readonly string[];
  /** The JWT's claims, or the introspection response, or (in-process opaque tokens) the equivalent claims. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * A verified token before it is attached to a request: {@link BearerAuth} without the token.
 *
 * @example
 * ```ts
 * const verified: VerifiedToken = { clientId: 'job', sub: 'job', scopes: ['read'], claims: {} };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export type VerifiedToken = Omit<BearerAuth, 'token'>;

/**
 * Checks one access token. Resolves its details, or rejects with a `TokenRejection` (rendered as
 * `invalid_token`) or another `OAuthError` (e.g. the JWKS endpoint is unreachable). A verifier that knows
 * the answer without I/O (a cached JWT) may return it, or throw its rejection, synchronously.
 *
 * @example
 * ```ts
 * const verify: TokenVerifier = async (token) => {
 *   const session = await sessions.find(token);
 *   if (!session) throw new TokenRejection('the access token is unknown');
 *   return { clientId: session.clientId, sub: session.userId, scopes: session.scopes, claims: {} };
 * };
 * const core = createBearerCheckCore({ realm: 'api', verify });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export type TokenVerifier = (token: string) => VerifiedToken | Promise<VerifiedToken>;

declare global {
  // Express merges this into its Request type, so `req.auth` is typed wherever Keyturn is imported.
  namespace Express {
    interface Request {
      /** Set by Keyturn's bearer middleware once the access token is verified. */
      auth?: BearerAuth;
    }
  }
}
