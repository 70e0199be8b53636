import type { Request } from 'express';
import type { PlainRequest } from '../../http';

/**
 * The core's view of an Express request. `ip` is read on demand: Express computes it from the forwarding
 * headers under `trust proxy`, and most requests never need it (events are built only for listeners).
 */
export function plainRequest(req: Request): PlainRequest {
  return {
    method: req.method,
    path: req.path,
    headers: req.headers,
    get ip() {
      return req.ip;
    },
  };
}
