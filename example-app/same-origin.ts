import type { Request, RequestHandler } from 'express';
import { InvalidRequestError } from '../lib/errors';

/**
 * Refuses a form POST that a browser sent from another site: the demo's defence against login CSRF (a
 * hostile page signing the victim in to the attacker's account) and forced sign-out. Browsers say where a
 * request comes from, and a page cannot forge it: `Sec-Fetch-Site` (Fetch Metadata) when they send it,
 * otherwise `Origin`, which every current browser sends on a cross-origin POST. A POST with neither comes
 * from no browser, or one too old to send them; CSRF needs a browser, so it passes, and so do scripts and
 * tests that post the form directly, as they always could.
 *
 * `origins` are the demo's own (its listening address and the issuer's); the request's own `Host` counts as
 * well, so the demo behind a proxy that keeps `Host` works without configuration.
 */
export function sameOriginPost(origins: readonly string[], description: string): RequestHandler {
  const own = new Set(origins.map((o) => new URL(o).origin));
  return (req, _res, next) => {
    if (fromThisSite(req, own)) return next();
    next(new InvalidRequestError({ description, status: 403 }));
  };
}

function fromThisSite(req: Request, own: ReadonlySet<string>): boolean {
  const site = req.headers['sec-fetch-site'];
  // "none": the user's own action (a bookmark, the address bar); "same-site" is a sibling subdomain, another site.
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  // "null" is an opaque origin (a sandboxed frame, a data: URL): never this site.
  if (origin === 'null' || !URL.canParse(origin)) return false;
  const parsed = new URL(origin);
  return own.has(parsed.origin) || (req.headers.host !== undefined && parsed.host === req.headers.host);
}
