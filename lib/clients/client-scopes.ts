import type { Client } from './client';

// Clients are long-lived objects; building their scope Set once per client keeps the token path allocation-free.
const allowedSets = new WeakMap<Client, ReadonlySet<string>>();

/** The scopes a client may be granted, as a Set, built once per client object. */
export function allowedScopes(client: Client): ReadonlySet<string> {
  let set = allowedSets.get(client);
  if (set === undefined) {
    set = new Set(client.scopes);
    allowedSets.set(client, set);
  }
  return set;
}

/** The scopes granted when a request names none: `defaultScopes`, else every allowed scope. */
export function defaultScopes(client: Client): readonly string[] {
  return client.defaultScopes ?? client.scopes;
}
