import type { OAuthError } from '../errors/oauth-error';
import type { PlainRequest, PlainResponse } from '../http';
import { runSteps, type Step } from './pipeline';
import { renderErrorResponse, type ErrorRendering } from './render-error';
import type { EndpointInput, RequestState } from './request-state';

/**
 * An endpoint of the framework-free core: a plain request in, a plain response out. Adapters translate their
 * framework's request into an {@link EndpointInput} and write the {@link PlainResponse} back, nothing more.
 */
export interface Endpoint {
  /** `token`, `revoke`, `introspect`, ... */
  readonly name: string;
  /** The methods it serves, as the `Allow` header lists them. */
  readonly allow: string;
  handle(input: EndpointInput): PlainResponse | Promise<PlainResponse>;
  /** The answer to a failure the adapter met before the core could run (a body stream that broke). */
  fail(request: PlainRequest, err: unknown): PlainResponse;
}

/** Told of every answered request, for metrics. */
export type EndpointObserver = (state: RequestState, response: PlainResponse, error: OAuthError | undefined, startedAt: bigint) => void;

/** How {@link pipelineEndpoint} builds an endpoint. */
export interface PipelineEndpointSettings<S extends RequestState> {
  readonly name: string;
  readonly allow: string;
  readonly steps: readonly Step<S>[];
  readonly state: (input: EndpointInput) => S;
  readonly rendering: ErrorRendering;
  readonly observe?: EndpointObserver | undefined;
}

/**
 * An endpoint that runs its steps over one request state and answers the response its last step set; any
 * failure goes through the one error renderer.
 */
export function pipelineEndpoint<S extends RequestState>(settings: PipelineEndpointSettings<S>): Endpoint {
  const { steps, rendering, observe } = settings;
  const fail = (state: S, err: unknown, startedAt: bigint): PlainResponse => {
    const { error, response } = renderErrorResponse(rendering, err, state.request, state.bodyType);
    state.response = response;
    if (observe !== undefined) observe(state, response, error, startedAt);
    return response;
  };
  const finish = (state: S, startedAt: bigint): PlainResponse => {
    const response = state.response;
    if (response === undefined) return fail(state, new Error(`keyturn: the ${settings.name} pipeline ended without a response`), startedAt);
    if (observe !== undefined) observe(state, response, undefined, startedAt);
    return response;
  };
  return {
    name: settings.name,
    allow: settings.allow,
    handle(input) {
      const state = settings.state(input);
      // Read the clock only for an observer: without metrics the hot path does not pay for it.
      const startedAt = observe === undefined ? 0n : process.hrtime.bigint();
      let pending: void | Promise<void>;
      try {
        pending = runSteps(steps, state);
      } catch (err) {
        return fail(state, err, startedAt);
      }
      if (pending === undefined) return finish(state, startedAt);
      return pending.then(
        () => finish(state, startedAt),
        (err: unknown) => fail(state, err, startedAt),
      );
    },
    fail(request, err) {
      return renderErrorResponse(rendering, err, request, undefined).response;
    },
  };
}
