import type { ErrorListener } from '../errors/error-listener';
import { renderOAuthError, type ErrorRenderer } from '../errors/render';
import { toOAuthError } from '../errors/to-oauth-error';
import type { OAuthError } from '../errors/oauth-error';
import type { PlainRequest, PlainResponse } from '../http';
import type { BodyType } from './request-state';
import type { WriteBody } from './response';

/** What the one error renderer is built with. */
export interface ErrorRendering {
  readonly renderError: ErrorRenderer;
  readonly onError: ErrorListener | undefined;
  readonly write: WriteBody;
}

/**
 * The one place errors become responses. OAuth errors render as they are; a store that cannot answer
 * renders as 503 `temporarily_unavailable`; anything else is an unexpected failure and renders as a generic
 * `server_error` (500) whose body says nothing of the cause, so no stack or internal message reaches the
 * client (see `toOAuthError`). The `onError` hook and the app's renderer are fenced: if they throw, or the
 * renderer's answer cannot be written, the default rendering answers.
 */
export function renderErrorResponse(
  rendering: ErrorRendering,
  err: unknown,
  request: PlainRequest,
  bodyType: BodyType | undefined,
): { readonly error: OAuthError; readonly response: PlainResponse } {
  const error = toOAuthError(err);
  if (rendering.onError !== undefined) {
    try {
      rendering.onError(error, request);
    } catch {
      // A failing log hook must not turn into a second, unrendered error.
    }
  }
  try {
    const rendered = rendering.renderError(error, request);
    return { error, response: rendering.write(rendered.status, rendered.headers, rendered.body, bodyType) };
  } catch {
    // The app's renderer threw, or answered something that cannot be written (a BigInt, a cycle): the
    // default rendering always can.
    const rendered = renderOAuthError(error, request);
    return { error, response: rendering.write(rendered.status, rendered.headers, rendered.body, bodyType) };
  }
}
