// An endpoint of the framework-free core: a plain request in, a plain response out. It answers what its last
// step set; any failure (a thrown OAuthError, a rejection, a pipeline that set no answer) goes through the
// one error renderer. A pipeline whose steps are all synchronous answers synchronously.
import { pipelineEndpoint, type EndpointObserver } from '../../lib/core/endpoint';
import type { PlainRequest, PlainResponse } from '../../lib/http';
import type { Step } from '../../lib/core/pipeline';
import type { ErrorRendering } from '../../lib/core/render-error';
import { requestState, type EndpointInput, type RequestState } from '../../lib/core/request-state';
import { bodyWriter } from '../../lib/core/response';
import { InvalidRequestError } from '../../lib/errors';
import { renderOAuthError } from '../../lib/errors/render';

const REQUEST: PlainRequest = { method: 'POST', path: '/demo', headers: {}, ip: '203.0.113.7' };
const INPUT: EndpointInput = { request: REQUEST, body: { a: '1' }, bodyType: 'form' };
const rendering: ErrorRendering = { renderError: renderOAuthError, onError: undefined, write: bodyWriter('json') };
const NO_STORE_JSON = { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Content-Type': 'application/json; charset=utf-8' };

const answer: Step<RequestState> = (state) => {
  state.response = { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `ok ${state.endpoint}` };
};
const endpoint = (steps: Step<RequestState>[], observe?: EndpointObserver) =>
  pipelineEndpoint<RequestState>({ name: 'demo', allow: 'POST', steps, state: (input) => requestState('demo', input), rendering, observe });

describe('pipelineEndpoint', () => {
  it('names itself and the methods it serves', () => {
    expect(endpoint([answer])).toMatchObject({ name: 'demo', allow: 'POST' });
  });

  it('synchronous steps: answers the last step\'s response synchronously, not as a promise', () => {
    const response = endpoint([answer]).handle(INPUT);
    expect(response).toEqual({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok demo' });
  });

  it('an asynchronous step: answers a promise of the response', async () => {
    const response = endpoint([async () => undefined, answer]).handle(INPUT);
    expect(response).toBeInstanceOf(Promise);
    expect(await response).toEqual({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok demo' });
  });

  it('a step that throws an OAuthError: rendered by the one renderer, and the steps after it never run', () => {
    let later = false;
    const response = endpoint([
      () => {
        throw new InvalidRequestError({ description: 'no good' });
      },
      () => {
        later = true;
      },
      answer,
    ]).handle(INPUT);
    expect(response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_request","error_description":"no good"}' });
    expect(later).toBe(false);
  });

  it('a step that rejects with an unexpected error: 500 server_error, the cause not in the body', async () => {
    const response = await endpoint([
      async () => {
        throw new Error('connection string postgres://admin:pw@db');
      },
    ]).handle(INPUT);
    expect(response).toEqual({ status: 500, headers: NO_STORE_JSON, body: '{"error":"server_error","error_description":"the server failed to process the request"}' });
  });

  it('a pipeline that ends without a response is a server_error, not an empty answer', () => {
    expect(endpoint([() => undefined]).handle(INPUT)).toMatchObject({ status: 500, body: '{"error":"server_error","error_description":"the server failed to process the request"}' });
  });

  it('the observer is told of each answer: the state, the response, the error if any, and when it started', async () => {
    const seen: Array<[string, number, string | undefined, string]> = [];
    const observe: EndpointObserver = (state, response, error, startedAt) => seen.push([state.endpoint, response.status, error?.code, typeof startedAt]);
    const observed = endpoint([answer], observe);
    observed.handle(INPUT);
    const failing = endpoint([async () => Promise.reject(new InvalidRequestError())], observe);
    await failing.handle(INPUT);
    expect(seen).toEqual([
      ['demo', 200, undefined, 'bigint'],
      ['demo', 400, 'invalid_request', 'bigint'],
    ]);
  });

  it('fail(): a failure the adapter met before the core ran is rendered the same way', () => {
    const response: PlainResponse = endpoint([answer]).fail(REQUEST, new InvalidRequestError({ description: 'body stream broke' }));
    expect(response).toEqual({ status: 400, headers: NO_STORE_JSON, body: '{"error":"invalid_request","error_description":"body stream broke"}' });
  });
});
