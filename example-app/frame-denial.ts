import type { RequestHandler } from 'express';

/**
 * Denies framing on every answer of the demo, its own pages (sign-in, playground, errors) as well as
 * Keyturn's: a page that can be framed can be overlaid by a hostile site that tricks the user into clicking
 * its buttons (clickjacking, RFC 6749 §10.13). The same two headers as Keyturn's own pages: `X-Frame-Options`
 * for old browsers, CSP `frame-ancestors` for new ones.
 */
export const denyFraming: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  next();
};
