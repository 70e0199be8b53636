// Load hook of scenario 7: an assertion's jti is single-use (RFC 7523 §3 point 7), so every request carries a
// fresh one, signed here in the load generator's process (its own core), not in the server's.
import type autocannon from 'autocannon';
import { assertionTokenBody } from '../client-assertion';
import type { RequestSpec } from '../harness/scenario';

export function requests(base: RequestSpec): autocannon.Request[] {
  return [
    {
      method: base.method,
      path: base.path,
      headers: { ...base.headers },
      setupRequest: ((request: autocannon.Request) => ({ ...request, body: assertionTokenBody() })) as unknown as autocannon.Request['setupRequest'],
    },
  ];
}
