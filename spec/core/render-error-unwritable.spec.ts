// The one error renderer fences the app's renderError: if it throws, the default rendering answers. A
// renderer that returns a body the writer cannot serialize (a BigInt, a cycle) fails the same way, one step
// later, and must be fenced too: otherwise the throw escapes the core, and through the Express adapter a
// synchronous failure throws from the request's 'end' handler (no answer, an uncaught exception) while an
// asynchronous one reaches Express's HTML error page with the stack.
import type { PlainRequest } from '../../lib/http';
import { renderErrorResponse, type ErrorRendering } from '../../lib/core/render-error';
import { bodyWriter } from '../../lib/core/response';
import type { ErrorRenderer } from '../../lib';
import { InvalidScopeError } from '../../lib/errors';

const REQUEST: PlainRequest = { method: 'POST', path: '/token', headers: {}, ip: '203.0.113.7' };
const NO_STORE_JSON = { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Content-Type': 'application/json; charset=utf-8' };
const cycle: Record<string, unknown> = {};
cycle.self = cycle;

describe('renderErrorResponse fences a renderer whose output cannot be written', () => {
  it.each([
    ['a BigInt', { n: 1n }],
    ['a cycle', cycle],
  ])('a renderer whose body holds %s: the default RFC 6749 rendering answers', (_case, body) => {
    const renderError: ErrorRenderer = () => ({ status: 400, body });
    const rendering: ErrorRendering = { renderError, onError: undefined, write: bodyWriter('json') };
    const { response } = renderErrorResponse(rendering, new InvalidScopeError({ description: 'nope' }), REQUEST, undefined);
    expect(response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_scope","error_description":"nope"}' });
  });
});
