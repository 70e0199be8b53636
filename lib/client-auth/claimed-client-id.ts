import type { Request } from 'express';
import { getClaimedClientId, getParams, setClaimedClientId } from '../middleware/request-state';
import { decodeBasicCredentials } from './decode-basic';

/**
 * The client id a request claims, before any authentication: from a decodable `Authorization: Basic`
 * header, else the body's `client_id`. The rate limit, the lockout and failure events all key on it, so it is
 * decoded once per request and remembered on the request state.
 */
export function claimedClientId(req: Request): string | undefined {
  const known = getClaimedClientId(req);
  if (known !== undefined) return known ?? undefined;
  const clientId = decodeBasicCredentials(req.headers.authorization)?.clientId ?? getParams(req).client_id;
  setClaimedClientId(req, clientId ?? null);
  return clientId;
}
