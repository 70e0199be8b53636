import type { Client, ClientStore, TokenEndpointAuthMethod } from '../clients/client';
import type { SecretVerifier } from '../clients/secret-verifier';

/** Passport's `done` for client strategies: a client on success, `false` on failure. */
export type ClientDone = (err: unknown, client?: Client | false) => void;

/** Checks credentials presented with one authentication method; shared by every client strategy. */
export type VerifyClient = (
  clientId: string,
  clientSecret: string | undefined,
  method: TokenEndpointAuthMethod,
  done: ClientDone,
) => void;

/**
 * Builds the verify function the strategies share: find the client, check that it may use this method,
 * then check its secret. Unknown client, wrong method and wrong secret all fail alike, in answer and in the
 * work done (a decoy scrypt check), so a failure does not tell which it was.
 */
export function createVerifyClient(clients: ClientStore, secrets: SecretVerifier): VerifyClient {
  return (clientId, clientSecret, method, done) => {
    let settled = false;
    const finish: ClientDone = (err, client) => {
      if (settled) return;
      settled = true;
      done(err, client);
    };
    try {
      const found = clients.findClient(clientId);
      if (found instanceof Promise) found.then((client) => check(client), finish);
      else check(found);
    } catch (err) {
      finish(err);
    }

    function check(client: Client | undefined): void {
      if (client === undefined || !mayUse(client, method)) {
        // Fail alike in time too: a wrong secret costs a scrypt check, so an unknown id must as well.
        if (clientSecret === undefined) return finish(null, false);
        secrets.decoy(clientSecret).then(() => finish(null, false), finish);
        return;
      }
      if (method === 'none') return finish(null, client);
      try {
        const ok = secrets.verify(client, clientSecret as string);
        if (typeof ok === 'boolean') finish(null, ok && client);
        else ok.then((valid) => finish(null, valid && client), finish);
      } catch (err) {
        finish(err);
      }
    }
  };
}

function mayUse(client: Client, method: TokenEndpointAuthMethod): boolean {
  const registered = client.tokenEndpointAuthMethod;
  if (method === 'none' || registered === 'none') return registered === method;
  return registered === undefined || registered === method;
}
