// Keyturn's peer range includes Express 4, which ignores the promise a middleware returns: an async
// middleware that rejects there leaves the request unanswered (a hang) and the rejection unhandled. The
// authorization endpoint's async middleware must therefore hand every failure to next(err) themselves and
// never return a rejected promise, whichever Express runs them. Called here directly, as Express 4 would.
import type { NextFunction, Request, Response } from 'express';
import { authorizeEndpoint } from '../../../lib/endpoints/authorize/authorize-endpoint';
import { resolveAuthorizationOptions } from '../../../lib/endpoints/authorize/authorization-options';
import { setAuthorizationRequest, setAuthorizeQuery, setRedirectTarget } from '../../../lib/endpoints/authorize/authorize-state';
import { consentDecision } from '../../../lib/endpoints/authorize/consent-decision';
import { identifyClient } from '../../../lib/endpoints/authorize/identify-client';
import { memoryStore, type Client } from '../../../lib';
import { OAuthError } from '../../../lib/errors';
import { staticClientStore } from '../../../lib/clients/static-client-store';

const CLIENT: Client = { clientId: 'web', clientSecret: 's', grants: ['authorization_code'], scopes: ['read'], redirectUris: ['https://client.example/cb'] };

async function runAsExpress4(middleware: (req: Request, res: Response, next: NextFunction) => unknown, req: Request): Promise<unknown[]> {
  const calls: unknown[] = [];
  const returned = middleware(req, {} as Response, ((err?: unknown) => void calls.push(err)) as NextFunction);
  // Express 4 drops this value; a rejection here would be the hang.
  await expect(Promise.resolve(returned)).resolves.toBeUndefined();
  return calls;
}

describe('authorization endpoint middleware under Express 4 semantics', () => {
  const settings = (authenticateUser: () => never) =>
    resolveAuthorizationOptions({ authenticateUser, renderConsent: () => undefined }, 'https://auth.example.com');
  const failing = () => {
    throw new Error('session store down');
  };

  it('consentDecision passes a bad transaction to next(err)', async () => {
    const middleware = consentDecision(settings(failing), staticClientStore([CLIENT], { allowPlaintextSecrets: true }), memoryStore());
    const calls = await runAsExpress4(middleware, { headers: {}, body: {} } as Request);
    expect(calls).toEqual([expect.any(OAuthError)]);
    expect((calls[0] as OAuthError).code).toBe('invalid_request');
  });

  it('authorizeEndpoint passes a throwing authenticateUser hook to next(err)', async () => {
    const middleware = authorizeEndpoint(settings(failing), memoryStore());
    const req = { headers: {}, originalUrl: '/oauth2/authorize', baseUrl: '/oauth2' } as Request;
    setRedirectTarget(req, { redirectUri: 'https://client.example/cb', state: undefined, status: 302 });
    setAuthorizationRequest(req, {
      client: CLIENT, redirectUri: 'https://client.example/cb', redirectUriSent: true, scope: ['read'],
      state: undefined, codeChallenge: undefined, codeChallengeMethod: undefined, nonce: undefined,
    });
    expect(await runAsExpress4(middleware, req)).toEqual([expect.objectContaining({ message: 'session store down' })]);
  });

  it('identifyClient never rejects, even when next() throws', async () => {
    const middleware = identifyClient(staticClientStore([CLIENT], { allowPlaintextSecrets: true }));
    const req = { headers: {} } as Request;
    setAuthorizeQuery(req, { params: { client_id: 'web' }, repeated: [] });
    // Express 4 runs the next layer inside next(); when that throws, the error must not become a rejection here.
    let thrown = 0;
    const returned = middleware(req, {} as Response, ((err?: unknown) => {
      if (err === undefined && thrown++ === 0) throw new Error('next layer failed');
    }) as NextFunction);
    await expect(Promise.resolve(returned)).resolves.toBeUndefined();
  });
});
