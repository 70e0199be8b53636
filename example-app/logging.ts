import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

// Nothing secret reaches the log. Credentials travel in these headers, and bodies are never logged; a redirect
// carrying a code (GET /authorize, the consent POST) has it in `Location`.
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]', 'res.headers.location'];

// Query parameters that hold a credential: the playground's callback (/playground/callback?code=...), and a
// bearer token sent in the query where a route allows it (RFC 6750 §2.3).
const SECRET_PARAMS = new Set(['code', 'access_token', 'refresh_token', 'id_token', 'token', 'client_secret', 'code_verifier', 'password', 'transaction', 'csrf_token']);
const CENSOR = '[redacted]';

/**
 * A URL path with the values of credential-bearing query parameters replaced by `[redacted]`.
 *
 * @example
 * ```ts
 * redactUrl('/playground/callback?code=abc&state=s'); // '/playground/callback?code=%5Bredacted%5D&state=s'
 * ```
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const name of new Set(params.keys())) {
    if (SECRET_PARAMS.has(name.toLowerCase())) {
      params.set(name, CENSOR);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

// A Referer can be a URL with a code in it (a browser that ignored Referrer-Policy): redacted like the URL.
function redactReferer(headers: unknown): unknown {
  const referer = (headers as Record<string, unknown> | undefined)?.referer;
  if (typeof referer !== 'string') return headers;
  return { ...(headers as Record<string, unknown>), referer: redactUrl(referer) };
}

function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) copy[name] = SECRET_PARAMS.has(name.toLowerCase()) ? CENSOR : value;
  return copy;
}

/**
 * The demo's JSON-lines logger: pino at `level`, Authorization, cookie and `Location` headers redacted.
 *
 * @example
 * ```ts
 * const logger = demoLogger(process.env.LOG_LEVEL ?? 'info');
 * ```
 */
export function demoLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: CENSOR } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/**
 * The demo's request log (pino-http): one line per request, with credential-bearing query parameters
 * redacted from `url` and `query` (never the live `req.query`, which the app still reads).
 *
 * @example
 * ```ts
 * root.use(httpLogger(logger));
 * ```
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' },
    serializers: {
      req: (req: Record<string, unknown>) => ({
        id: req.id,
        method: req.method,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
        ...(req.query === undefined ? {} : { query: redactQuery(req.query) }),
        headers: redactReferer(req.headers),
        remoteAddress: req.remoteAddress,
        remotePort: req.remotePort,
      }),
    },
  });
}
