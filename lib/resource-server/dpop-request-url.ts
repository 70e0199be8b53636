import type { BearerRequest } from './extract-token';

/**
 * Forms the URL a request was sent to, as the client saw it, without query and fragment: what a DPoP
 * proof's `htu` must match (RFC 9449 §4.3 check 9). Return `undefined` when it cannot be known; the proof is
 * then refused.
 *
 * @example
 * ```ts
 * import { requireBearer, type RequestUrl } from 'keyturn/resource-server';
 *
 * // Behind a gateway that strips the /accounts-api prefix and sets its own header.
 * const requestUrl: RequestUrl = (req) => `https://gateway.example.com/accounts-api${String(req.url ?? '/').split('?')[0]}`;
 * app.get('/accounts', requireBearer({ server: auth, dpop: { requestUrl } }), listAccounts);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export type RequestUrl = (req: BearerRequest) => string | undefined;

/**
 * Builds the function that forms a request's `htu`, once, from the `externalUrl` or `requestUrl` option:
 *
 * - `requestUrl`: the app's own function, used as it returns.
 * - `externalUrl` (e.g. `https://api.example.com`, or `https://example.com/accounts-api` when a proxy strips
 *   that prefix): that, followed by the request's path (`originalUrl` in Express, else `url`). Nothing the
 *   client sends decides the scheme or the host: the right choice behind proxies.
 * - neither: the scheme from Express's `req.protocol` (which believes `X-Forwarded-Proto` only from
 *   addresses Express's `trust proxy` setting trusts) or the socket, the host from Express's `req.hostname`
 *   (likewise for `X-Forwarded-Host`) with the port of the header that named it, or the `Host` header, and
 *   the path.
 *
 * Scheme and host are lowercased and a default port dropped (RFC 3986 §6.2.2, §6.2.3).
 */
export function requestUrlFormer(options: { readonly externalUrl?: string | undefined; readonly requestUrl?: RequestUrl | undefined }, name: string): RequestUrl {
  if (options.requestUrl !== undefined) {
    if (typeof options.requestUrl !== 'function') throw new TypeError(`${name}.requestUrl must be a function`);
    if (options.externalUrl !== undefined) throw new TypeError(`${name}: give externalUrl or requestUrl, not both`);
    return options.requestUrl;
  }
  if (options.externalUrl !== undefined) {
    const base = externalBase(options.externalUrl, `${name}.externalUrl`);
    return (req) => base + pathOf(req);
  }
  return (req) => {
    const scheme = typeof req.protocol === 'string' ? req.protocol : (req.socket as { encrypted?: unknown } | undefined)?.encrypted === true ? 'https' : 'http';
    const host = hostOf(req);
    if (host === undefined || host === '') return undefined;
    return normalizedOrigin(scheme, host) + pathOf(req);
  };
}

// Express's hostname is trust-proxy aware but portless on Express 4 (and its req.host is deprecated there):
// the port comes from whichever header named that host, X-Forwarded-Host (first value) or Host.
function hostOf(req: BearerRequest): string | undefined {
  const header = typeof req.headers.host === 'string' ? req.headers.host : undefined;
  if (typeof req.hostname !== 'string') return header;
  const wanted = req.hostname.toLowerCase();
  const forwarded = req.headers['x-forwarded-host'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  for (const candidate of [first, header]) {
    if (candidate !== undefined && hostPart(candidate) === wanted) return candidate;
  }
  return req.hostname;
}

function hostPart(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('[') ? lower.slice(0, lower.indexOf(']') + 1) : (lower.split(':')[0] ?? lower);
}

function externalBase(value: unknown, name: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${name} must be an absolute http(s) URL`);
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError(`${name} must be an absolute http(s) URL without query, fragment or credentials`);
  }
  // URL already lowercases and drops a default port; the request's path starts with its own "/".
  return url.origin + url.pathname.replace(/\/+$/, '');
}

// Most requests name the same few hosts: remember their normal form instead of re-deriving it per request.
const origins = new Map<string, string>();

function normalizedOrigin(scheme: string, host: string): string {
  const key = `${scheme}://${host}`;
  let origin = origins.get(key);
  if (origin === undefined) {
    try {
      origin = new URL(key).origin;
    } catch {
      origin = 'invalid:';
    }
    if (origins.size >= 256) origins.clear();
    origins.set(key, origin);
  }
  return origin;
}

function pathOf(req: BearerRequest): string {
  const url = typeof req.originalUrl === 'string' ? req.originalUrl : typeof req.url === 'string' ? req.url : '/';
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  return path.startsWith('/') ? path : `/${path}`;
}
