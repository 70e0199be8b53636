import type { PlainRequest, PlainResponse } from '../../http';
import type { OAuthError } from '../../errors/oauth-error';
import type { ErrorListener } from '../../errors/error-listener';
import { toOAuthError } from '../../errors/to-oauth-error';
import type { AuthorizeRedirectTarget } from './authorize-request';
import { escapeHtml } from './escape-html';
import { AUTHORIZE_PAGE_HEADERS } from './page-headers';

/**
 * Renders the authorization endpoint's error page: the answer when the client or the redirect URI cannot be
 * trusted, so the error must not be redirected (RFC 6749 §4.1.2.1). Returns HTML; escape what you print.
 * @example
 * ```ts
 * import type { AuthorizeErrorPageRenderer } from 'keyturn';
 *
 * const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
 * const renderErrorPage: AuthorizeErrorPageRenderer = (err) => `<h1>Sign-in failed</h1><p>${esc(err.description ?? err.code)}</p>`;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export type AuthorizeErrorPageRenderer = (error: OAuthError, req: PlainRequest) => string;

// The two ways the authorization endpoint answers (RFC 6749 §4.1.2, §4.1.2.1): a redirect back to the
// client, or, when the client or its redirect URI cannot be trusted, a page for the person at the browser.

/**
 * Sends the browser back to the client's redirect URI with `params` added to its query. A query the
 * registered URI already has is kept (RFC 6749 §3.1.2: "MUST retain the query component").
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function redirectToClient(target: AuthorizeRedirectTarget, params: Readonly<Record<string, string | undefined>>): PlainResponse {
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return { status: target.status, headers: { ...AUTHORIZE_PAGE_HEADERS, Location: url.href }, body: '' };
}

/** What the authorization endpoint's errors are rendered with. */
export interface AuthorizeErrorSettings {
  readonly issuer: string;
  readonly renderErrorPage: AuthorizeErrorPageRenderer | undefined;
  readonly onError: ErrorListener | undefined;
}

/**
 * The authorization endpoint's one error rendering: once the redirect URI is trusted, errors go back to it as
 * `error`, `error_description`, `state` (§4.1.2.1) and `iss` (RFC 9207 §2); before that, they are a page and
 * never a redirect. A store that cannot answer becomes `temporarily_unavailable` (RFC 6749 §4.1.2.1), so the
 * client can tell an outage to retry from a failure; anything else unexpected becomes `server_error`, with
 * nothing of the cause shown.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2
 */
export function authorizeErrorResponse(
  settings: AuthorizeErrorSettings,
  err: unknown,
  target: AuthorizeRedirectTarget | undefined,
  request: PlainRequest,
): PlainResponse {
  const error = toOAuthError(err);
  if (settings.onError !== undefined) {
    try {
      settings.onError(error, request);
    } catch {
      // A failing log hook must not turn into a second, unrendered error.
    }
  }
  if (target !== undefined) {
    return redirectToClient(target, {
      error: error.code,
      error_description: error.description === undefined ? undefined : descriptionChars(error.description),
      state: target.state,
      iss: settings.issuer,
    });
  }
  let html: string;
  try {
    html = (settings.renderErrorPage ?? defaultErrorPage)(error, request);
  } catch {
    html = defaultErrorPage(error, request);
  }
  return { status: error.status, headers: { ...AUTHORIZE_PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }, body: html };
}

// RFC 6749 §4.1.2.1: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
function descriptionChars(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/** The default error page: the error and its description, nothing else, escaped. */
export function defaultErrorPage(error: OAuthError, _req: PlainRequest): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorization error</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style>
</head><body>
<h1>This authorization request cannot be completed</h1>
<p>Error: <code>${escapeHtml(error.code)}</code></p>
${error.description === undefined ? '' : `<p>${escapeHtml(error.description)}</p>`}
<p>Return to the application and try again.</p>
</body></html>
`;
}
