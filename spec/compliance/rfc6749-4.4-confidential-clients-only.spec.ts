// RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients." §2.1: a
// public client is one "incapable of maintaining the confidentiality of their credentials"; Keyturn registers
// it with tokenEndpointAuthMethod "none", and it identifies itself by client_id alone, which anyone can send.
// §5.2 unauthorized_client: "The authenticated client is not authorized to use this authorization grant type."
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, type Client } from '../../lib';
import { checkConfig } from '../../example-app/config';
import { MemoryStore } from '../../lib/store/memory-store';

const PUBLIC_CC: Client = { clientId: 'spa-with-cc', tokenEndpointAuthMethod: 'none', grants: ['client_credentials'], scopes: ['/accounts.read'] };

describe('RFC 6749 §4.4 client credentials for confidential clients only', () => {
  it('a public client listed with client_credentials fails start-up, named', () => {
    const build = () => createAuthorizationServer({ clients: [{ clientId: 'ok', clientSecret: 'x', grants: ['client_credentials'], scopes: [] }, PUBLIC_CC], allowPlaintextSecrets: true });
    expect(build).toThrow(TypeError);
    expect(build).toThrow('clients[1].grants: "spa-with-cc" is a public client (tokenEndpointAuthMethod "none"), which may not use client_credentials; that grant is for confidential clients only (RFC 6749 §4.4)');
  });

  it('the demo config refuses such a client with a message naming it', () => {
    const config = { clients: [{ clientId: 'spa-with-cc', tokenEndpointAuthMethod: 'none', grants: ['authorization_code', 'client_credentials'], scopes: [] }] };
    expect(() => checkConfig(config)).toThrow(
      'config: clients[0].grants cannot include client_credentials for the public client "spa-with-cc": that grant is for confidential clients only (RFC 6749 §4.4)',
    );
  });

  describe('a public client that the app\'s own findClient lets through', () => {
    const store = new MemoryStore();
    // An async client store of the app's: not checked at start-up, so the grant itself must refuse.
    const auth = createAuthorizationServer({ clients: { findClient: async (id) => (id === PUBLIC_CC.clientId ? PUBLIC_CC : undefined) }, store });
    const app = express().use('/oauth2', auth.router());
    const issued: unknown[] = [];
    auth.events.on('token.issued', (event) => issued.push(event));
    afterAll(() => auth.close());

    it('gets 400 unauthorized_client and no token, by client_id in the body or with no scope', async () => {
      for (const body of [{ grant_type: 'client_credentials', client_id: PUBLIC_CC.clientId }, { grant_type: 'client_credentials', client_id: PUBLIC_CC.clientId, scope: '/accounts.read' }]) {
        const res = await request(app).post('/oauth2/token').type('form').send(body);
        expect(res.status).toBe(400);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'a public client may not use the client_credentials grant' });
        expect(res.body).not.toHaveProperty('access_token');
      }
      expect(issued).toEqual([]);
    });
  });
});
