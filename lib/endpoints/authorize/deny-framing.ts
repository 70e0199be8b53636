import type { RequestHandler } from 'express';

/**
 * Forbids framing the authorization endpoint's pages, so a hostile site cannot overlay the consent
 * buttons (RFC 6749 §10.13, clickjacking): `X-Frame-Options` for old browsers, CSP `frame-ancestors` for new.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.13
 */
export const denyFraming: RequestHandler = function denyFraming(_req, res, next) {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  next();
};
