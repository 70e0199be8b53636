import type { PlainResponse } from '../http';
import type { BodyType } from './request-state';

/**
 * How response bodies are serialized (the `compat.responseFormat` option): `'json'`, always JSON as
 * RFC 6749 §5.1 requires (the default), or `'mirror-request'`, in the request's own format (a form request
 * gets a form-encoded body), as Moov's API documents ("the type of response returned here will mirror the
 * type of the request").
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ResponseFormat } from 'keyturn';
 *
 * const responseFormat: ResponseFormat = 'mirror-request';
 * createAuthorizationServer({ clients, compat: { responseFormat } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export type ResponseFormat = 'json' | 'mirror-request';

/** Serializes a body the configured way: the one place the token, revocation and introspection answers and their errors are written. */
export type WriteBody = (status: number, extraHeaders: Readonly<Record<string, string>> | undefined, body: unknown, bodyType: BodyType | undefined) => PlainResponse;

// RFC 6749 §5.1: token responses and their errors must not be cached.
const NO_STORE_JSON: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Content-Type': 'application/json; charset=utf-8',
});
const NO_STORE_FORM: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
});

const JSON_ONLY: Readonly<Record<string, string>> = Object.freeze({ 'Content-Type': 'application/json; charset=utf-8' });

/**
 * Writes JSON without the token endpoint's no-store headers: for the answers of routes that are not token
 * endpoints (a protected resource's bearer errors, a wrong method on the public JWKS).
 */
export const plainJsonWriter: WriteBody = (status, extra, body) => ({
  status,
  headers: extra === undefined ? JSON_ONLY : { ...JSON_ONLY, ...extra },
  body: JSON.stringify(body),
});

/** Builds the body writer for a {@link ResponseFormat}. */
export function bodyWriter(format: ResponseFormat): WriteBody {
  const json: WriteBody = (status, extra, body) => ({
    status,
    headers: extra === undefined ? NO_STORE_JSON : { ...NO_STORE_JSON, ...extra },
    body: JSON.stringify(body),
  });
  if (format === 'json') return json;
  return (status, extra, body, bodyType) => {
    if (bodyType !== 'form' || !isFlat(body)) return json(status, extra, body, bodyType);
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) if (value !== undefined) form.append(name, String(value));
    return { status, headers: extra === undefined ? NO_STORE_FORM : { ...NO_STORE_FORM, ...extra }, body: form.toString() };
  };
}

function isFlat(body: unknown): body is Record<string, string | number | boolean | undefined> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return Object.values(body).every((v) => v === undefined || ['string', 'number', 'boolean'].includes(typeof v));
}
