/**
 * Headers of every answer of the authorization endpoint and of the pages the app shows on its behalf (sign-in,
 * consent): never cached (RFC 6749 §5.1's reasoning holds for codes in redirects), never framed, so a hostile
 * site cannot overlay the consent buttons (RFC 6749 §10.13): `X-Frame-Options` for old browsers, CSP
 * `frame-ancestors` for new; and never a `Referer` that carries the request's URL (its `state`, the pages'
 * links) to another site (RFC 9700 §4.2.4).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.13
 */
export const AUTHORIZE_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
});
