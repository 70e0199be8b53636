import type { EndpointObserver } from '../core/endpoint';
import type { Counter, Histogram, Registry } from 'prom-client';

/**
 * Options of the `metrics` server option: Prometheus metrics of the endpoints, registered in your
 * prom-client registry. prom-client is loaded only when this option is set.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { createAuthorizationServer, type MetricsOptions } from 'keyturn';
 *
 * const registry = new Registry();
 * const metrics: MetricsOptions = { registry, prefix: 'auth_' }; // auth_requests_total, auth_request_duration_seconds
 * createAuthorizationServer({ clients, metrics });
 * app.get('/metrics', async (_req, res) => res.type(registry.contentType).send(await registry.metrics()));
 * ```
 */
export interface MetricsOptions {
  /** The prom-client registry to register Keyturn's metrics in. Required. */
  registry: Registry;
  /** Metric name prefix. Default: `keyturn_`. */
  prefix?: string;
}

/**
 * Prometheus metrics for the endpoints: `<prefix>requests_total{endpoint, grant_type, outcome}` where
 * outcome is `success` or the OAuth error code, and `<prefix>request_duration_seconds{endpoint}`.
 * Label values come from fixed sets (registered grants, error codes), never from raw request input, so a
 * client cannot grow the label space.
 */
export class RequestMetrics {
  private readonly requests: Counter<'endpoint' | 'grant_type' | 'outcome'>;
  private readonly duration: Histogram<'endpoint'>;

  constructor(options: MetricsOptions) {
    // Loaded here, not at the top: only apps that pass a registry (and so have prom-client) pay for it.
    const { Counter, Histogram } = require('prom-client') as typeof import('prom-client');
    const prefix = options.prefix ?? 'keyturn_';
    this.requests = new Counter({
      name: `${prefix}requests_total`,
      help: 'Requests to Keyturn endpoints by endpoint, grant type and outcome (success or OAuth error code).',
      labelNames: ['endpoint', 'grant_type', 'outcome'],
      registers: [options.registry],
    });
    this.duration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Time from request to response of Keyturn endpoints.',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [options.registry],
    });
  }

  /** Records one answered request of a core endpoint (an `EndpointObserver`). */
  readonly observe: EndpointObserver = (state, response, error, startedAt) => {
    this.duration.observe({ endpoint: state.endpoint }, Number(process.hrtime.bigint() - startedAt) / 1e9);
    this.requests.inc({
      endpoint: state.endpoint,
      grant_type: state.grantType ?? '',
      outcome: response.status < 400 ? 'success' : error?.code ?? 'error',
    });
  };
}
