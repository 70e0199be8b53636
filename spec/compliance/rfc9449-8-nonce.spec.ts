// RFC 9449 §8: "An authorization server MAY supply a nonce value to be included by the client in DPoP
// proofs sent. [...] the authorization server responds to the request with an HTTP 400 status code and an
// error code of use_dpop_nonce [...] The authorization server includes a DPoP-Nonce HTTP header in the
// response supplying a nonce value to be used when sending the subsequent request." §8.2: "The
// authorization server MAY supply the new nonce in the same way that the initial one was supplied: by using
// a DPoP-Nonce HTTP header in the response." Keyturn's nonces are an HMAC of a time window under a key
// derived from the shared secret: instance B accepts instance A's nonce, with no store state per nonce.
import { randomBytes } from 'node:crypto';
import { storeBackends, type StoreBackend } from '../support/store-backends';
import { dpopKey, dpopServer, JWT_JOB, proof, tokenRequest, type DpopKey, type DpopServer } from '../support/dpop';
import { expectNoStore } from '../support/app';
import { DpopNonces } from '../../lib/dpop/dpop-nonces';

const CC = { grant_type: 'client_credentials' };
const NONCE = /^[A-Za-z0-9_-]{32}$/;

describe.each(storeBackends('rfc9449-8').slice(0, 2))('RFC 9449 §8 server nonces (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let a: DpopServer;
  let b: DpopServer;
  let key: DpopKey;

  beforeAll(async () => {
    backend = await makeBackend();
    a = dpopServer(backend.store(), { dpop: { nonce: true } });
    b = dpopServer(backend.store(), { dpop: { nonce: true } });
    key = await dpopKey();
  });
  afterAll(async () => {
    await a?.auth.close();
    await b?.auth.close();
    await backend?.release();
  });

  it('a proof without a nonce gets 400 use_dpop_nonce with a DPoP-Nonce header; the retry with it is served, with a fresh DPoP-Nonce', async () => {
    const challenge = await tokenRequest(a.app, JWT_JOB, CC, await proof(key));
    expect(challenge.status).toBe(400);
    expectNoStore(challenge.headers);
    expect(challenge.body).toEqual({ error: 'use_dpop_nonce', error_description: 'the authorization server requires a nonce in the DPoP proof' });
    const nonce = challenge.headers['dpop-nonce'] as string;
    expect(nonce).toMatch(NONCE);
    const retry = await tokenRequest(a.app, JWT_JOB, CC, await proof(key, { nonce }));
    expect(retry.status).toBe(200);
    expect(retry.body.token_type).toBe('DPoP');
    expect(retry.headers['dpop-nonce']).toMatch(NONCE);
  });

  it('a nonce from instance A is accepted at instance B (one secret, no per-nonce store state)', async () => {
    const nonce = (await tokenRequest(a.app, JWT_JOB, CC, await proof(key))).headers['dpop-nonce'] as string;
    const atB = await tokenRequest(b.app, JWT_JOB, CC, await proof(key, { nonce }));
    expect(atB.status).toBe(200);
    expect(atB.headers['dpop-nonce']).toBe(nonce);
  });

  it('a wrong nonce gets the challenge again; a server with another secret does not accept this one\'s nonces', async () => {
    const wrong = await tokenRequest(a.app, JWT_JOB, CC, await proof(key, { nonce: 'made-up-nonce' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('use_dpop_nonce');
    const nonce = wrong.headers['dpop-nonce'] as string;
    const stranger = dpopServer(backend.store(), { dpop: { nonce: true }, secret: 'another-secret-of-at-least-32-bytes!!' });
    try {
      const res = await tokenRequest(stranger.app, JWT_JOB, CC, await proof(key, { nonce }));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('use_dpop_nonce');
      expect(res.headers['dpop-nonce']).not.toBe(nonce);
    } finally {
      await stranger.auth.close();
    }
  });

  it('nonces are off by default: no challenge and no DPoP-Nonce header', async () => {
    const plain = dpopServer(backend.store());
    try {
      const res = await tokenRequest(plain.app, JWT_JOB, CC, await proof(key));
      expect(res.status).toBe(200);
      expect(res.headers['dpop-nonce']).toBeUndefined();
    } finally {
      await plain.auth.close();
    }
  });
});

describe('RFC 9449 §8 nonce windows', () => {
  it('a nonce is accepted in its window and the next, then refused', () => {
    let now = 1_000_000;
    const nonces = new DpopNonces(randomBytes(32), 300, () => now);
    const first = nonces.current();
    expect(nonces.accepts(first)).toBe(true);
    now += 300;
    const second = nonces.current();
    expect(second).not.toBe(first);
    expect(nonces.accepts(first)).toBe(true);
    expect(nonces.accepts(second)).toBe(true);
    now += 300;
    expect(nonces.accepts(first)).toBe(false);
    expect(nonces.accepts(second)).toBe(true);
    expect(nonces.accepts(undefined)).toBe(false);
    expect(nonces.accepts('ü'.repeat(32))).toBe(false);
  });
});
