// Load hook of scenario 7: an assertion's jti is single-use (RFC 7523 §3 point 7), so every request carries a
// fresh one. They are signed here, in the load generator's process, before the load starts: signing one per
// request during the load (about 50 µs of ES256 each) made the generator, not the server, the bottleneck.
// A run that outlasts the pool signs the rest as it goes.
import type autocannon from 'autocannon';
import { assertionTokenBody } from '../client-assertion';
import type { RequestSpec } from '../harness/scenario';

export function requests(base: RequestSpec, options: { pool?: number }): autocannon.Request[] {
  const pool = Array.from({ length: options.pool ?? 40_000 }, () => assertionTokenBody());
  let next = 0;
  return [
    {
      method: base.method,
      path: base.path,
      headers: { ...base.headers },
      setupRequest: ((request: autocannon.Request) => ({ ...request, body: next < pool.length ? pool[next++] : assertionTokenBody() })) as unknown as autocannon.Request['setupRequest'],
    },
  ];
}
