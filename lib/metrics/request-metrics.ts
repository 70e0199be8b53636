import { knownKeys, optionalObject } from '../core/validate-option';
import type { EndpointObserver } from '../core/endpoint';
import type { Counter, Histogram, Registry } from 'prom-client';

/**
 * What Keyturn needs of a prom-client `Registry`: typed here, not as prom-client's own class, so an app
 * without metrics type-checks without prom-client installed (it is an optional peer dependency).
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import type { MetricsRegistry } from 'keyturn';
 *
 * const registry: MetricsRegistry = new Registry();
 * ```
 */
export interface MetricsRegistry {
  /** Registers one metric; prom-client's `Registry.registerMetric`. */
  registerMetric(metric: never): void;
}

/** The metrics' settings. */
export interface MetricsSettings {
  readonly registry: MetricsRegistry;
  readonly prefix: string;
}

/** Checks the `metrics` option once, at start-up; `undefined` when it is off. */
export function resolveMetricsSettings(value: unknown): MetricsSettings | undefined {
  if (value === undefined) return undefined;
  const options = optionalObject(value as object, 'options.metrics') as { registry?: { registerMetric?: unknown }; prefix?: unknown };
  knownKeys(options, { registry: true, prefix: true }, 'options.metrics');
  if (typeof options.registry?.registerMetric !== 'function') throw new TypeError('options.metrics.registry must be a prom-client Registry');
  const prefix = options.prefix ?? 'keyturn_';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new TypeError('options.metrics.prefix must be a Prometheus metric name prefix');
  return { registry: options.registry as MetricsRegistry, prefix };
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

  constructor(options: MetricsSettings) {
    // Loaded here, not at the top: only apps that pass a registry (and so have prom-client) pay for it.
    const { Counter, Histogram } = require('prom-client') as typeof import('prom-client');
    const prefix = options.prefix;
    this.requests = new Counter({
      name: `${prefix}requests_total`,
      help: 'Requests to Keyturn endpoints by endpoint, grant type and outcome (success or OAuth error code).',
      labelNames: ['endpoint', 'grant_type', 'outcome'],
      registers: [options.registry as unknown as Registry],
    });
    this.duration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Time from request to response of Keyturn endpoints.',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [options.registry as unknown as Registry],
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
