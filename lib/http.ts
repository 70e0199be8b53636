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
