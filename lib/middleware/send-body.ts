import type { Request, Response } from 'express';

/**
 * How response bodies are serialized: always JSON (RFC 6749 §5.1), or in the request's own format, as
 * Moov's API documents ("the type of response returned here will mirror the type of the request").
 */
export type ResponseFormat = 'json' | 'mirror-request';

/** Sends a response body the configured way; used by the token endpoint and the error handler alike. */
export type SendBody = (req: Request, res: Response, body: unknown) => void;

/**
 * Writes a JSON body directly. `res.json` would also compute an ETag, which is wasted work on responses
 * that are `Cache-Control: no-store` (every token endpoint response): measured at about 6 µs a request.
 */
export const sendJson: SendBody = (_req, res, body) => {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
};

/** Builds the body sender for a {@link ResponseFormat}. */
export function bodySender(format: ResponseFormat): SendBody {
  if (format === 'json') return sendJson;
  return (req, res, body) => {
    if (!isFlat(body) || !req.is('application/x-www-form-urlencoded')) return sendJson(req, res, body);
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) if (value !== undefined) form.append(name, String(value));
    res.type('application/x-www-form-urlencoded').send(form.toString());
  };
}

function isFlat(body: unknown): body is Record<string, string | number | boolean | undefined> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return Object.values(body).every((v) => v === undefined || ['string', 'number', 'boolean'].includes(typeof v));
}
