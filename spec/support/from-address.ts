import { request } from 'node:http';

/** The address a legitimate client calls from, and a stranger's: both loopback on Linux (127.0.0.0/8). */
export const CLIENT_ADDRESS = '127.0.0.1';
export const STRANGER_ADDRESS = '127.0.0.2';

/** A response as the specs read it. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

/**
 * POSTs a form to `url` from the local address `from`, so the server's `req.ip` is that address: the real
 * way to be two requesters on one machine, which supertest (always 127.0.0.1) cannot be.
 */
export function postFormFrom(from: string, url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: from,
        // A fresh connection per request: an agent's pooled socket would keep the address of its first use.
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
