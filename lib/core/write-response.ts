import type { ServerResponse } from 'node:http';
import type { PlainResponse } from '../http';

/**
 * Writes a core response to a node:http response as it is: status, headers, body. Express's `res` is one, so
 * this serves every adapter built on node:http.
 */
export function writeResponse(res: ServerResponse, response: PlainResponse): void {
  res.statusCode = response.status;
  const headers = response.headers;
  for (const name in headers) res.setHeader(name, headers[name] as string);
  res.end(response.body);
}
