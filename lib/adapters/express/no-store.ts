import type { RequestHandler } from 'express';

/**
 * Marks the response uncacheable before anything else runs, so token responses and their errors alike
 * carry it (RFC 6749 §5.1: `Cache-Control: no-store` and `Pragma: no-cache`).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export const noStore: RequestHandler = function noStore(_req, res, next) {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
};
