/**
 * A request as the framework-free core sees it: what every adapter (Express, node:http, ...) can hand over.
 * The parsed body and query travel separately, in the endpoint's state.
 *
 * @example
 * ```ts
 * import type { PlainRequest } from 'keyturn';
 *
 * const req: PlainRequest = { method: 'POST', path: '/token', headers: { 'content-type': 'application/json' }, ip: '127.0.0.1' };
 * ```
 */
export interface PlainRequest {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path below the mount point, without the query: `/token`. */
  readonly path: string;
  /** Header names in lower case, as Node delivers them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The requester's address as the adapter determines it (Express: `req.ip`, so `trust proxy` governs it). */
  readonly ip: string | undefined;
}

/**
 * A response the core hands back to the adapter to write as it is: the body is already serialized and its
 * `Content-Type` is among the headers.
 *
 * @example
 * ```ts
 * const res: PlainResponse = { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"active":false}' };
 * ```
 */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The serialized body; empty for none. */
  readonly body: string;
}

/**
 * A {@link PlainRequest} view of a node:http-based framework's request (Express's has these four fields): only
 * those fields reach the app's hooks, whichever route answers. `path` and `ip` are read on demand, as the
 * framework may compute them (Express parses the URL for one and the forwarding headers for the other).
 *
 * @example
 * ```ts
 * const view = plainRequestView({ method: 'GET', path: '/accounts', headers: {}, ip: '127.0.0.1' });
 * ```
 */
export function plainRequestView(source: PlainRequest): PlainRequest {
  return {
    method: source.method,
    headers: source.headers,
    get path() {
      return source.path;
    },
    get ip() {
      return source.ip;
    },
  };
}
