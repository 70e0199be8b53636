import type { Request } from 'express';
import type { PlainRequest } from '../../http';

/**
 * The core's view of an Express request. `path` and `ip` are read on demand: Express parses the URL for one
 * and the forwarding headers (under `trust proxy`) for the other, and most requests never need either
 * (events are built only for listeners, paths shown only to error hooks).
 */
export function plainRequest(req: Request): PlainRequest {
  return {
    method: req.method,
    headers: req.headers,
    get path() {
      return req.path;
    },
    get ip() {
      return req.ip;
    },
  };
}
