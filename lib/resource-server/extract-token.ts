import { BearerTokenMissingError, InvalidBearerRequestError, type DpopChallengeInit } from '../errors/bearer-errors';

/**
 * The parts of an HTTP request the bearer core reads; an Express request fits, and so does any other.
 *
 * @example
 * ```ts
 * import { createBearerCheck, type BearerRequest } from 'keyturn/resource-server';
 *
 * const req: BearerRequest = { method: 'GET', headers: { authorization: `Bearer ${process.env.ACCESS_TOKEN}` } };
 * const { sub } = await createBearerCheck({ server: auth }).authenticate(req);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export interface BearerRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed body, when the app parsed one. */
  readonly body?: unknown;
  /** The parsed query string. */
  readonly query?: unknown;
  /** The request target as received (Express: `req.originalUrl`, which keeps the mount path); for DPoP's `htu`. */
  readonly originalUrl?: string;
  /** The request target (node:http's `req.url`); for DPoP's `htu` when there is no `originalUrl`. */
  readonly url?: string;
  /** `http` or `https`, as Express's `req.protocol` gives it (honouring `trust proxy`); for DPoP's `htu`. */
  readonly protocol?: string;
  /**
   * The host without port, as Express's `req.hostname` gives it (honouring `trust proxy`); for DPoP's `htu`,
   * whose port comes from the header that named this host (Express 4's `req.host` drops it).
   */
  readonly hostname?: string;
  /** The connection (a TLS socket has `encrypted: true`), to tell https from http when there is no `protocol`. */
  readonly socket?: object;
}

/**
 * Where a token may come from besides the `Authorization` header.
 *
 * @example
 * ```ts
 * app.post('/upload', express.urlencoded({ extended: false }), requireBearer({ server: auth, tokenLocations: { body: true } }), upload);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.2
 */
export interface TokenLocations {
  /** Accept `access_token` in a form-encoded body (RFC 6750 §2.2). Default: false. */
  readonly body: boolean;
  /** Accept `access_token` in the query (RFC 6750 §2.3; it leaks into logs and history). Default: false. */
  readonly query: boolean;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const BEARER_SCHEME = /^Bearer(?: |$)/i;
// RFC 9449 §7.1: the DPoP scheme carries the token as token68, the same characters as b64token.
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*) *$/i;
const DPOP_SCHEME = /^DPoP(?: |$)/i;

/**
 * An access token as the request presented it: the token, and the scheme it came with. A token from the
 * form body or the query counts as `'Bearer'` (RFC 6750 §2.2, §2.3; RFC 9449 §7.1 knows only the header).
 */
export interface PresentedToken {
  readonly token: string;
  readonly scheme: 'Bearer' | 'DPoP';
}

/** The challenge settings of a resource accepting DPoP: for errors of a Bearer and of a DPoP presentation. */
export interface DpopChallenges {
  readonly onBearer: { readonly dpop: DpopChallengeInit };
  readonly onDpop: { readonly dpop: DpopChallengeInit };
}

/**
 * {@link extractBearerToken}, also accepting `Authorization: DPoP <token>` (RFC 9449 §7.1) when `dpop` is
 * given (its challenges then offer both schemes). Throws as it does, and {@link InvalidBearerRequestError} for a malformed DPoP credential or a token
 * sent both in a DPoP header and in the body or query.
 *
 * @example
 * ```ts
 * extractAccessToken({ method: 'GET', headers: { authorization: 'DPoP abc', dpop: proof } }, { body: false, query: false }, 'api', challenges);
 * // { token: 'abc', scheme: 'DPoP' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function extractAccessToken(req: BearerRequest, locations: TokenLocations, realm: string, dpop: DpopChallenges | undefined): PresentedToken {
  const header = req.headers.authorization;
  if (dpop === undefined) return { token: extractBearerToken(req, locations, realm), scheme: 'Bearer' };
  if (typeof header === 'string' && DPOP_SCHEME.test(header)) {
    const init = dpop.onDpop;
    const match = DPOP.exec(header);
    if (match === null) throw new InvalidBearerRequestError({ realm, description: 'the Authorization header is not a valid DPoP credential', ...init });
    if ((locations.body && bodyToken(req, realm) !== undefined) || (locations.query && (req.query as Record<string, unknown> | undefined)?.access_token !== undefined)) {
      throw new InvalidBearerRequestError({ realm, description: 'the access token must be sent by exactly one method', ...init });
    }
    return { token: match[1] as string, scheme: 'DPoP' };
  }
  return { token: extractBearerToken(req, locations, realm, dpop.onBearer), scheme: 'Bearer' };
}

/**
 * Takes the access token from a request as RFC 6750 §2 describes: the `Authorization: Bearer` header, and
 * only when enabled the form body or the query. Throws {@link InvalidBearerRequestError} for a malformed
 * Bearer header or a token sent by more than one method (§2: clients MUST NOT), and
 * {@link BearerTokenMissingError} when there is no token (a header of another scheme counts as none).
 *
 * @example
 * ```ts
 * extractBearerToken({ method: 'GET', headers: { authorization: 'Bearer abc' } }, { body: false, query: false }, 'api'); // 'abc'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function extractBearerToken(req: BearerRequest, locations: TokenLocations, realm: string, init?: { readonly dpop?: DpopChallengeInit }): string {
  let token: string | undefined;
  let methods = 0;
  const header = req.headers.authorization;
  if (typeof header === 'string' && BEARER_SCHEME.test(header)) {
    const match = BEARER.exec(header);
    if (match === null) throw new InvalidBearerRequestError({ realm, description: 'the Authorization header is not a valid Bearer credential', ...init });
    token = match[1];
    methods++;
  }
  if (locations.body) {
    const fromBody = bodyToken(req, realm);
    if (fromBody !== undefined) {
      token = fromBody;
      methods++;
    }
  }
  if (locations.query) {
    const value = (req.query as Record<string, unknown> | undefined)?.access_token;
    if (value !== undefined) {
      if (typeof value !== 'string' || value === '') throw new InvalidBearerRequestError({ realm, description: 'access_token must be sent once' });
      token = value;
      methods++;
    }
  }
  if (methods > 1) throw new InvalidBearerRequestError({ realm, description: 'the access token must be sent by exactly one method', ...init });
  if (token === undefined) throw new BearerTokenMissingError({ realm, description: 'an access token is required', ...init });
  return token;
}

// RFC 6750 §2.2: only a single-part application/x-www-form-urlencoded body, and never with GET.
function bodyToken(req: BearerRequest, realm: string): string | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !/^application\/x-www-form-urlencoded(?:;|$)/i.test(type)) return undefined;
  const value = (req.body as Record<string, unknown> | undefined)?.access_token;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new InvalidBearerRequestError({ realm, description: 'access_token must be sent once' });
  return value;
}
