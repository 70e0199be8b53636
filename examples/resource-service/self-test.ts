// Checks the two processes against each other over HTTP: a token from the authorization server is accepted
// by the reports API (which found the keys through the issuer's metadata), a tampered one and a missing one
// are refused with RFC 6750 challenges.
import assert from 'node:assert/strict';

export async function selfTest(issuer: string, reportsApi: string, client: { id: string; secret: string }): Promise<void> {
  const metadata = (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
  assert.equal(metadata.issuer, issuer);
  assert.equal(metadata.jwks_uri, `${issuer}/oauth2/jwks`);

  const res = await fetch(metadata.token_endpoint ?? '', {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'reports.read' }),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  assert.equal(res.status, 200);
  const call = (authorization?: string) =>
    fetch(`${reportsApi}/reports`, authorization === undefined ? {} : { headers: { authorization } });

  const ok = await call(`Bearer ${token}`);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { client: client.id, reports: ['2024-q1', '2024-q2'] });

  // The same token with its claims changed: the signature no longer matches (RFC 6750 §3.1 invalid_token).
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), client_id: 'intruder' } as object;
  const forged = await call(`Bearer ${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`);
  assert.equal(forged.status, 401);
  assert.match(forged.headers.get('www-authenticate') ?? '', /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
  assert.equal(((await forged.json()) as { error: string }).error, 'invalid_token');

  const missing = await call();
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="api"');
}
