import type { Client, ClientStore, TokenEndpointAuthMethod } from '../clients/client';
import type { SecretVerifier } from '../clients/secret-verifier';

/** Passport's `done` for client strategies: a client on success, `false` on failure. */
export type ClientDone = (err: unknown, client?: Client | false) => void;

/**
 * Runs before a presented secret is checked in a way that could tell a wrong one (a hash, a decoy, a digest
 * that does not match): the lockout's reservation. Rejects to refuse the attempt unchecked.
 */
export type CheckGate = () => Promise<void>;

/** Checks credentials presented with one authentication method; shared by every client strategy. */
export type VerifyClient = (
  clientId: string,
  clientSecret: string | undefined,
  method: TokenEndpointAuthMethod,
  done: ClientDone,
  gate?: CheckGate,
) => void;

/**
 * Builds the verify function the strategies share: find the client, check that it may use this method,
 * then check its secret. Unknown client, wrong method and wrong secret all fail alike, in answer and in the
 * work done (a decoy scrypt check), so a failure does not tell which it was. With a `gate`, a secret that is
 * not already known to be right waits for the gate before it is checked.
 */
export function createVerifyClient(clients: ClientStore, secrets: SecretVerifier): VerifyClient {
  return (clientId, clientSecret, method, done, gate) => {
    let settled = false;
    const finish: ClientDone = (err, client) => {
      if (settled) return;
      settled = true;
      done(err, client);
    };
    const afterGate = (check: () => void): void => {
      if (gate === undefined) return check();
      gate().then(check, finish);
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
        const secret = clientSecret;
        return afterGate(() => void secrets.decoy(secret).then(() => finish(null, false), finish));
      }
      if (method === 'none') return finish(null, client);
      const secret = clientSecret as string;
      try {
        if (gate !== undefined && secrets.recognises(client, secret)) return finish(null, client);
      } catch (err) {
        return finish(err);
      }
      afterGate(() => {
        try {
          const ok = secrets.verify(client, secret);
          if (typeof ok === 'boolean') finish(null, ok && client);
          else ok.then((valid) => finish(null, valid && client), finish);
        } catch (err) {
          finish(err);
        }
      });
    }
  };
}

function mayUse(client: Client, method: TokenEndpointAuthMethod): boolean {
  const registered = client.tokenEndpointAuthMethod;
  if (method === 'none' || registered === 'none') return registered === method;
  return registered === undefined || registered === method;
}
