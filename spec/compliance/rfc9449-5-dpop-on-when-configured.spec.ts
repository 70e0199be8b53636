/*
 * RFC 9449 §5: "If the authorization server does not support DPoP, it ignores the DPoP header … and issues a
 * bearer token" — unless the client insists (§5.2: the server "MUST reject token requests from this client
 * that do not contain the DPoP header"). Keyturn does DPoP when given the `dpop` option, and then on both sides:
 * what its token endpoint binds, its own bearer checks accept, with no option on the route. Without the
 * option it binds nothing, so its routes never meet a token they would refuse as a downgrade (§7.2).
 */
import express from 'express';
import { memoryStore } from '../../lib';
import { requireBearer } from '../../lib/resource-server';
import { BOUND_JOB, dpopKey, dpopServer, JWT_JOB, proof, tokenRequest } from '../support/dpop';
import { listen, type Listening } from '../support/listen';

const CC = { grant_type: 'client_credentials' };

describe('RFC 9449 §5: DPoP is on when configured, at the token endpoint and the server\'s own routes alike', () => {
  it('without the dpop option: a proof is ignored and a bearer token issued; metadata names no DPoP algorithms; a client that must use DPoP is refused', async () => {
    const server = dpopServer(memoryStore(), { dpop: undefined });
    try {
      const res = await tokenRequest(server.app, JWT_JOB, CC, await proof(await dpopKey()));
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
      expect(server.auth.metadataDocument.dpop_signing_alg_values_supported).toBeUndefined();
      const bound = await tokenRequest(server.app, BOUND_JOB, CC, await proof(await dpopKey()));
      expect(bound.status).toBe(400);
      expect(bound.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'this server does not accept DPoP proofs' });
    } finally {
      await server.auth.close();
    }
  });

  it('with dpop: {}: the token it binds is accepted by requireBearer({ server }) with no dpop option of its own, and refused there as Bearer', async () => {
    const server = dpopServer(memoryStore());
    const api = express();
    api.get('/accounts', requireBearer({ server: server.auth }), (req, res) => res.json({ client: req.auth?.clientId }));
    let listening: Listening | undefined;
    try {
      listening = await listen(api);
      const url = `${listening.url}/accounts`;
      const key = await dpopKey();
      const issued = await tokenRequest(server.app, JWT_JOB, CC, await proof(key));
      expect(issued.body.token_type).toBe('DPoP');
      const token = issued.body.access_token as string;
      const ok = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: url, accessToken: token }) } });
      expect([ok.status, await ok.json()]).toEqual([200, { client: JWT_JOB.clientId }]);
      const downgraded = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(downgraded.status).toBe(401);
    } finally {
      await listening?.close();
      await server.auth.close();
    }
  });
});
