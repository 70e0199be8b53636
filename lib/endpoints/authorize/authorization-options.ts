import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { OAuthError } from '../../errors/oauth-error';
import { createDevelopmentIdTokenSigner, IdTokenIssuer, type IdTokenSigner } from '../../tokens/id-token';
import type { AuthenticateUser, RenderConsent } from './hooks';
import { TransactionSealer } from './transaction';

/**
 * PKCE settings (RFC 7636, OAuth 2.1 §4.1.1).
 * @example
 * ```ts
 * // A legacy confidential client that cannot send code_challenge yet; public clients still must.
 * authorization: { ...hooks, pkce: { requireForConfidentialClients: false } }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1
 */
export interface PkceOptions {
  /** Accept `code_challenge_method=plain`. Default: false: only `S256`. */
  allowPlain?: boolean;
  /**
   * Require PKCE from confidential clients too, as OAuth 2.1 does. Default: true. Public clients
   * (`tokenEndpointAuthMethod: 'none'`) must always use it.
   */
  requireForConfidentialClients?: boolean;
}

/**
 * ID Token settings.
 * @example
 * ```ts
 * authorization: { ...hooks, idToken: { signer: mySigner, ttl: 600 } }
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface IdTokenOptions {
  /** Signs ID Tokens. Default: {@link createDevelopmentIdTokenSigner} (a new ES256 key per start). */
  signer?: IdTokenSigner;
  /** ID Token lifetime in seconds. Default: 3600. */
  ttl?: number;
}

/**
 * Renders the authorization endpoint's error page: the answer when the client or the redirect URI cannot be
 * trusted, so the error must not be redirected (RFC 6749 §4.1.2.1). Returns HTML; escape what you print.
 * @example
 * ```ts
 * const renderErrorPage: AuthorizeErrorPageRenderer = (err) => `<h1>Sign-in failed</h1><p>${escape(err.description ?? err.code)}</p>`;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export type AuthorizeErrorPageRenderer = (error: OAuthError, req: Request) => string;

/**
 * Settings of the authorization endpoint (`GET /authorize`) and the `authorization_code` grant. Required
 * when `grants` includes `authorization_code`.
 *
 * @example
 * ```ts
 * createAuthorizationServer({
 *   clients,
 *   issuer: 'https://auth.example.com/oauth2',
 *   grants: ['authorization_code'],
 *   authorization: {
 *     authenticateUser: (req, res, ctx) => req.user ?? void res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}`),
 *     renderConsent: (req, res, details) => res.render('consent', details),
 *     transactionSecret: process.env.KEYTURN_TRANSACTION_SECRET,
 *   },
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export interface AuthorizationOptions {
  /** The app's sign-in: resolves the signed-in user or answers the request itself. Required. */
  authenticateUser: AuthenticateUser;
  /** The app's consent page. Required. */
  renderConsent: RenderConsent;
  /**
   * HMAC key of the signed transaction between the consent page and its POST: at least 32 bytes (a string
   * is taken as UTF-8). Default: random per process, so several instances behind one URL must share one.
   */
  transactionSecret?: string | Buffer;
  /** How long a consent page stays answerable, in seconds. Default: 600. */
  transactionTtl?: number;
  /** Authorization code lifetime in seconds. Default: 60 (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  codeTtl?: number;
  /** How long a consent is remembered per user, client and scopes, in seconds; `false` asks every time. Default: 2 592 000 (30 days). */
  consentTtl?: number | false;
  /** PKCE settings. */
  pkce?: PkceOptions;
  /** ID Token settings (issued when the `openid` scope is granted). */
  idToken?: IdTokenOptions;
  /** The error page. Default: a plain HTML page showing the error code and description. */
  renderErrorPage?: AuthorizeErrorPageRenderer;
}

/** {@link AuthorizationOptions} after validation, with the defaults and the objects built once. */
export interface AuthorizationSettings {
  readonly issuer: string;
  readonly authenticateUser: AuthenticateUser;
  readonly renderConsent: RenderConsent;
  readonly transactions: TransactionSealer;
  readonly transactionTtl: number;
  readonly codeTtl: number;
  readonly consentTtl: number | undefined;
  readonly allowPlainPkce: boolean;
  readonly requirePkceForConfidentialClients: boolean;
  readonly idTokens: IdTokenIssuer;
  readonly renderErrorPage: AuthorizeErrorPageRenderer | undefined;
}

const KNOWN = new Set<string>([
  'authenticateUser', 'renderConsent', 'transactionSecret', 'transactionTtl', 'codeTtl', 'consentTtl', 'pkce', 'idToken', 'renderErrorPage',
]);

/** Validates `options.authorization` once, at start-up; every message names the option. */
export function resolveAuthorizationOptions(options: AuthorizationOptions, issuer: string | undefined): AuthorizationSettings {
  const name = 'options.authorization';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name} must be an object`);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`${name}: unknown option "${key}"`);
  }
  if (issuer === undefined) {
    throw new TypeError('options.issuer is required with the authorization_code grant: it is the id_token "iss" and the "iss" of authorization responses (RFC 9207)');
  }
  if (typeof options.authenticateUser !== 'function') throw new TypeError(`${name}.authenticateUser must be a function`);
  if (typeof options.renderConsent !== 'function') throw new TypeError(`${name}.renderConsent must be a function`);
  if (options.renderErrorPage !== undefined && typeof options.renderErrorPage !== 'function') throw new TypeError(`${name}.renderErrorPage must be a function`);
  const pkce = options.pkce ?? {};
  if (typeof pkce !== 'object' || pkce === null) throw new TypeError(`${name}.pkce must be an object`);
  const idToken = options.idToken ?? {};
  if (idToken.signer !== undefined && (typeof idToken.signer.sign !== 'function' || typeof idToken.signer.alg !== 'string')) {
    throw new TypeError(`${name}.idToken.signer must be an object with alg and sign(claims)`);
  }
  const consentTtl = options.consentTtl === false ? undefined : (positiveInteger(options.consentTtl, `${name}.consentTtl`) ?? 30 * 24 * 3600);
  return {
    issuer,
    authenticateUser: options.authenticateUser,
    renderConsent: options.renderConsent,
    transactions: new TransactionSealer(transactionKey(options.transactionSecret)),
    transactionTtl: positiveInteger(options.transactionTtl, `${name}.transactionTtl`) ?? 600,
    codeTtl: positiveInteger(options.codeTtl, `${name}.codeTtl`) ?? 60,
    consentTtl,
    allowPlainPkce: optionalBoolean(pkce.allowPlain, `${name}.pkce.allowPlain`) ?? false,
    requirePkceForConfidentialClients: optionalBoolean(pkce.requireForConfidentialClients, `${name}.pkce.requireForConfidentialClients`) ?? true,
    idTokens: new IdTokenIssuer(idToken.signer ?? createDevelopmentIdTokenSigner(), issuer, positiveInteger(idToken.ttl, `${name}.idToken.ttl`) ?? 3600),
    renderErrorPage: options.renderErrorPage,
  };
}

function transactionKey(secret: string | Buffer | undefined): Buffer {
  if (secret === undefined) return randomBytes(32);
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (!Buffer.isBuffer(key) || key.length < 32) throw new TypeError('options.authorization.transactionSecret must be at least 32 bytes');
  return Buffer.from(key);
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer (got ${JSON.stringify(value)})`);
  }
  return value;
}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
  return value;
}
