// Load hooks for refresh_token rotation (scenario 3): a rotated refresh token is single-use, so the load
// generator cannot repeat one request. Each connection opens a family with the scenario's request (a grant
// that returns a refresh_token), then redeems the token from each response in the next request, `chain`
// times, before autocannon starts the connection over with a fresh context. A failed response leaves no
// token to redeem; its status already makes the run invalid.
import type autocannon from 'autocannon';
import type { RequestSpec } from '../harness/scenario';

interface ChainContext {
  refreshToken?: string;
}

export function requests(base: RequestSpec, options: { chain?: number }): autocannon.Request[] {
  const chain = options.chain ?? 1000;
  const remember = (status: number, body: string, context: ChainContext) => {
    if (status !== 200) return;
    const token = (JSON.parse(body) as { refresh_token?: unknown }).refresh_token;
    context.refreshToken = typeof token === 'string' ? token : undefined;
  };
  const open: autocannon.Request = {
    method: base.method,
    path: base.path,
    headers: { ...base.headers },
    ...(base.body === undefined ? {} : { body: base.body }),
    onResponse: remember as autocannon.Request['onResponse'],
  };
  const redeem: autocannon.Request = {
    method: 'POST',
    path: base.path,
    headers: { ...base.headers, 'content-type': 'application/x-www-form-urlencoded' },
    setupRequest: ((request: autocannon.Request, context: ChainContext) => {
      // Falsy restarts the connection's sequence from `open` (autocannon's contract).
      if (context.refreshToken === undefined) return undefined;
      return { ...request, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(context.refreshToken)}` };
    }) as unknown as autocannon.Request['setupRequest'],
    onResponse: remember as autocannon.Request['onResponse'],
  };
  return [open, ...Array.from({ length: chain }, () => redeem)];
}
