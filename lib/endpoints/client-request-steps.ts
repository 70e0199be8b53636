import type { EndpointObserver } from '../core/endpoint';
import type { Step } from '../core/pipeline';
import type { RenderErrorSettings } from './render-settings';
import type { RequestState } from '../core/request-state';

/**
 * The steps the token, revocation and introspection endpoints share, built once by the factory. RFC 7009 §2.1
 * and RFC 7662 §2.1 authenticate clients exactly as the token endpoint does.
 */
export interface ClientRequestSteps extends RenderErrorSettings {
  /** Closes the endpoint when the availability gate says so; empty without a gate. */
  readonly gate: readonly Step<RequestState>[];
  readonly readCredentials: Step<RequestState>;
  /** Counts the authenticated client's request against the rate limit; empty without one. */
  readonly limit: readonly Step<RequestState>[];
  readonly authenticate: Step<RequestState>;
  readonly observe: EndpointObserver | undefined;
}
