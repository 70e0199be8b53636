import type { Request } from 'express';
import { plainRequestView, type PlainRequest } from '../../http';

/** The core's view of an Express request. */
export function plainRequest(req: Request): PlainRequest {
  return plainRequestView(req);
}
