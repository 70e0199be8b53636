// The one place errors become responses. RFC 6749 §5.2: error responses carry `error` and, optionally,
// `error_description`, with status 400 (401 for invalid_client). §4.1.2.1 names temporarily_unavailable for
// a server that cannot answer now, and server_error for an unexpected condition; RFC 9110 §10.2.3 gives
// Retry-After. An unexpected failure says nothing of its cause to the client: no message, no stack. The
// app's onError hook and renderer are fenced: if they throw, the default rendering still answers.
import type { PlainRequest } from '../../lib/http';
import { methodNotAllowed } from '../../lib/core/method-not-allowed';
import { renderErrorResponse, type ErrorRendering } from '../../lib/core/render-error';
import { bodyWriter } from '../../lib/core/response';
import type { ErrorListener, ErrorRenderer } from '../../lib';
import { InvalidClientError, InvalidScopeError, OAuthError, StoreUnavailableError } from '../../lib/errors';
import { renderOAuthError } from '../../lib/errors/render';

const REQUEST: PlainRequest = { method: 'POST', path: '/token', headers: {}, ip: '203.0.113.7' };
const NO_STORE_JSON = { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Content-Type': 'application/json; charset=utf-8' };

const rendering = (overrides: Partial<ErrorRendering> = {}): ErrorRendering => ({
  renderError: renderOAuthError,
  onError: undefined,
  write: bodyWriter('json'),
  ...overrides,
});

describe('renderErrorResponse: the one error renderer', () => {
  it('an OAuthError renders as it is: its status, its headers over no-store, RFC 6749 §5.2 body', () => {
    const err = new InvalidClientError({ description: 'client authentication failed', headers: { 'WWW-Authenticate': 'Basic realm="keyturn"' } });
    const { error, response } = renderErrorResponse(rendering(), err, REQUEST, 'json');
    expect(error).toBe(err);
    expect(response).toEqual({
      status: 401,
      headers: { ...NO_STORE_JSON, 'WWW-Authenticate': 'Basic realm="keyturn"' },
      body: '{"error":"invalid_client","error_description":"client authentication failed"}',
    });
  });

  it('an OAuthError without a description renders just its code', () => {
    const { response } = renderErrorResponse(rendering(), new OAuthError('invalid_request', 400), REQUEST, undefined);
    expect(response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_request"}' });
  });

  it('§4.1.2.1: a store that cannot answer is 503 temporarily_unavailable with Retry-After, its message kept from the client', () => {
    const outage = new StoreUnavailableError('Redis at 10.0.0.5:6379 did not answer in 500 ms', { retryAfterSeconds: 3 });
    const { error, response } = renderErrorResponse(rendering(), outage, REQUEST, 'form');
    expect(response).toEqual({
      status: 503,
      headers: { ...NO_STORE_JSON, 'Retry-After': '3' },
      body: '{"error":"temporarily_unavailable","error_description":"the server is temporarily unable to handle the request; retry later"}',
    });
    expect(error).toMatchObject({ code: 'temporarily_unavailable', detail: outage.message, cause: outage });
  });

  it.each([
    ['an Error', new Error('password hunter2 rejected by db at /srv/app/db.ts:42')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'hunter2')")],
    ['a thrown string', 'hunter2'],
    ['undefined', undefined],
  ])('§4.1.2.1: anything else (%s) is 500 server_error, and nothing of it reaches the body', (_case, thrown) => {
    const { error, response } = renderErrorResponse(rendering(), thrown, REQUEST, 'json');
    expect(response).toEqual({ status: 500, headers: NO_STORE_JSON, body: '{"error":"server_error","error_description":"the server failed to process the request"}' });
    expect(error.code).toBe('server_error');
    expect(error.cause).toBe(thrown);
  });

  it('onError is told every error with the request, before the response is written', () => {
    const seen: Array<[string, string]> = [];
    const onError: ErrorListener = (err, req) => seen.push([err.code, req.path]);
    renderErrorResponse(rendering({ onError }), new InvalidScopeError(), REQUEST, undefined);
    renderErrorResponse(rendering({ onError }), new Error('boom'), REQUEST, undefined);
    expect(seen).toEqual([
      ['invalid_scope', '/token'],
      ['server_error', '/token'],
    ]);
  });

  it('an onError hook that throws is fenced: the error is still rendered', () => {
    const onError: ErrorListener = () => {
      throw new Error('logger down');
    };
    const { response } = renderErrorResponse(rendering({ onError }), new InvalidScopeError({ description: 'nope' }), REQUEST, undefined);
    expect(response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_scope","error_description":"nope"}' });
  });

  it('the app\'s renderer decides status, headers and body; no-store is kept under its headers', () => {
    const renderError: ErrorRenderer = (err) => ({ status: 409, headers: { 'X-Error-Id': 'e-1' }, body: { code: err.code, text: err.description } });
    const { response } = renderErrorResponse(rendering({ renderError }), new InvalidScopeError({ description: 'nope' }), REQUEST, undefined);
    expect(response).toEqual({ status: 409, headers: { ...NO_STORE_JSON, 'X-Error-Id': 'e-1' }, body: '{"code":"invalid_scope","text":"nope"}' });
  });

  it('a renderer that throws is fenced: the default RFC 6749 rendering answers instead', () => {
    const renderError: ErrorRenderer = () => {
      throw new Error('renderer bug');
    };
    const { response } = renderErrorResponse(rendering({ renderError }), new InvalidScopeError({ description: 'nope' }), REQUEST, undefined);
    expect(response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_scope","error_description":"nope"}' });
  });

  it('both hooks throwing on an unexpected error still answer a plain 500 server_error', () => {
    const { response } = renderErrorResponse(
      rendering({
        onError: () => {
          throw new Error('a');
        },
        renderError: () => {
          throw new Error('b');
        },
      }),
      new Error('hunter2'),
      REQUEST,
      undefined,
    );
    expect(response).toEqual({ status: 500, headers: NO_STORE_JSON, body: '{"error":"server_error","error_description":"the server failed to process the request"}' });
  });

  it('responseFormat mirror-request: a form request\'s error is form-encoded, a JSON request\'s stays JSON', () => {
    const mirror = rendering({ write: bodyWriter('mirror-request') });
    const err = new InvalidScopeError({ description: 'not allowed' });
    expect(renderErrorResponse(mirror, err, REQUEST, 'form').response).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'error=invalid_scope&error_description=not+allowed',
    });
    expect(renderErrorResponse(mirror, err, REQUEST, 'json').response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_scope","error_description":"not allowed"}' });
  });
});

describe('methodNotAllowed: RFC 9110 §15.5.6', () => {
  it('405 with Allow, rendered like every other error', () => {
    expect(methodNotAllowed(rendering(), 'POST', { ...REQUEST, method: 'GET' })).toEqual({
      status: 405,
      headers: { ...NO_STORE_JSON, Allow: 'POST' },
      body: '{"error":"invalid_request","error_description":"GET is not allowed here; use POST"}',
    });
  });
});
