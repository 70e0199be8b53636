// Checks the service over HTTP as its client would: a token with Basic auth (RFC 6749 §2.3.1), the protected
// route with it, and the 401s without a token and with a wrong secret.
import assert from 'node:assert/strict';

export async function selfTest(base: string, client: { id: string; secret: string }): Promise<void> {
  const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
  const tokenRes = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'reports.read' }),
  });
  const token = (await tokenRes.json()) as { access_token: string; token_type: string; scope: string };
  assert.equal(tokenRes.status, 200, JSON.stringify(token));
  assert.equal(token.token_type, 'Bearer');
  assert.equal(token.scope, 'reports.read');

  const ok = await fetch(`${base}/reports`, { headers: { authorization: `Bearer ${token.access_token}` } });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { client: client.id, reports: ['2024-q1', '2024-q2'] });

  // No token: 401 with a bare challenge (RFC 6750 §3.1).
  const missing = await fetch(`${base}/reports`);
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="keyturn"');

  const wrongSecret = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:not-the-secret`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  assert.equal(wrongSecret.status, 401);
  assert.equal(((await wrongSecret.json()) as { error: string }).error, 'invalid_client');
}
