// Billing's side, with oauth4webapi (any RFC 7523 and RFC 9449 client works the same): it authenticates with
// its private key, gets a DPoP-bound token for the ledger, and calls the ledger. Then what a thief of that
// token could try, each refused: the token as a bearer token, a replayed proof, the token at another API,
// a token for a resource billing may not ask for, and a token request without a proof.
import assert from 'node:assert/strict';
import { createHash, randomUUID, webcrypto, type KeyObject } from 'node:crypto';
import * as oauth from 'oauth4webapi';

const INSECURE = { [oauth.allowInsecureRequests]: true } as const; // http on loopback, for this example only

interface Setup {
  readonly issuer: string;
  readonly ledger: string;
  readonly reports: string;
  readonly billingPrivateKey: KeyObject;
}

const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** A DPoP proof made by hand (RFC 9449 §4.2), so the test can send one twice. */
async function proofFor(keyPair: Awaited<ReturnType<typeof oauth.generateKeyPair>>, method: string, url: string, accessToken: string): Promise<string> {
  const jwk = await webcrypto.subtle.exportKey('jwk', keyPair.publicKey);
  const header = b64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } }));
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  const payload = b64url(JSON.stringify({ htm: method, htu: url, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ath }));
  const signature = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, Buffer.from(`${header}.${payload}`));
  return `${header}.${payload}.${b64url(new Uint8Array(signature))}`;
}

export async function selfTest({ issuer, ledger, reports, billingPrivateKey }: Setup): Promise<void> {
  const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...INSECURE }));
  assert.ok(as.token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
  assert.ok(as.dpop_signing_alg_values_supported?.includes('ES256'));

  const client: oauth.Client = { client_id: 'billing' };
  const signingKey = await webcrypto.subtle.importKey('jwk', billingPrivateKey.export({ format: 'jwk' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const clientAuth = oauth.PrivateKeyJwt({ key: signingKey, kid: 'billing-1' });
  const keyPair = await oauth.generateKeyPair('ES256'); // billing's DPoP key: in memory, for the process's life
  const DPoP = oauth.DPoP(client, keyPair);

  const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams({ scope: '/ledger.read', resource: ledger }), { DPoP, ...INSECURE });
  const tokens = await oauth.processClientCredentialsResponse(as, client, response);
  assert.equal(tokens.token_type, 'dpop');
  const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString()) as { aud: unknown; cnf: { jkt: string } };
  assert.equal(claims.aud, ledger);
  assert.equal(typeof claims.cnf.jkt, 'string');

  const entries = `${ledger}/entries`;
  const called = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(entries), undefined, undefined, { DPoP, ...INSECURE });
  assert.equal(called.status, 200);
  assert.deepEqual(await called.json(), { client: 'billing', entries: [{ id: 1, amount: 120 }] });

  // The stolen token alone, as a bearer token: refused (RFC 9449 §7.2).
  const asBearer = await fetch(entries, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(asBearer.status, 401);
  assert.match(asBearer.headers.get('www-authenticate') ?? '', /^DPoP .*error="invalid_token"/);

  // A proof captured with the token, sent again: the first use passes, the replay does not (§11.1).
  const proof = await proofFor(keyPair, 'GET', entries, tokens.access_token);
  const send = () => fetch(entries, { headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof } });
  assert.equal((await send()).status, 200);
  const replayed = await send();
  assert.equal(replayed.status, 401);
  assert.equal(((await replayed.json()) as { error: string }).error, 'invalid_dpop_proof');

  // The token at another API of the same issuer, with a good proof: it is not for that audience (RFC 8707).
  const summary = `${reports}/summary`;
  const elsewhere = await fetch(summary, { headers: { authorization: `DPoP ${tokens.access_token}`, dpop: await proofFor(keyPair, 'GET', summary, tokens.access_token) } });
  assert.equal(elsewhere.status, 401);
  assert.match(elsewhere.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="the access token is meant for another audience"/);

  // A token for a resource billing may not ask for: invalid_target (RFC 8707 §2).
  const forReports = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams({ resource: reports }), { DPoP, ...INSECURE });
  await assert.rejects(oauth.processClientCredentialsResponse(as, client, forReports), (err: unknown) => err instanceof oauth.ResponseBodyError && err.error === 'invalid_target');

  // Without a proof, billing (dpopBoundAccessTokens) gets no token at all.
  const unbound = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams({ resource: ledger }), INSECURE);
  await assert.rejects(oauth.processClientCredentialsResponse(as, client, unbound), (err: unknown) => err instanceof oauth.ResponseBodyError && err.error === 'invalid_request');
}
