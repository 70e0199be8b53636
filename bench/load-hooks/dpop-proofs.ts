// Load hooks for DPoP (scenario 6): a proof is single-use (RFC 9449 §11.1), so every request carries a fresh
// one. The server hands over `Authorization: DPoP <token>` and one proof (for the harness's sample check);
// the hook reads the proof's htm and htu, hashes the token once for `ath`, and signs a new ES256 proof in
// each request's setupRequest. With `pool`, up to that many proofs (for `poolSeconds`) are signed before the load starts and used
// first, so the load generator's own signing stays off the measured path as long as they last (and are
// fresh: for 30 s).
import type autocannon from 'autocannon';
import type { RequestSpec } from '../harness/scenario';
import { accessTokenHash, dpopProof, proofTarget } from '../dpop-client';

export function requests(base: RequestSpec, options: { pool?: number; poolSeconds?: number }): autocannon.Request[] {
  const headers = { ...base.headers };
  const sample = headers.DPoP ?? headers.dpop;
  const authorization = headers.Authorization ?? headers.authorization ?? '';
  // A server that checks no proof (bare Express) gets proofs for the scenario's own path all the same, so
  // every request on the wire has the same size.
  const { htm, htu } = sample === undefined ? { htm: base.method, htu: `http://127.0.0.1${base.path}` } : proofTarget(sample);
  const token = authorization.replace(/^\S+ /, '');
  const ath = accessTokenHash(token);
  const pool: string[] = [];
  // At most `poolSeconds` of signing before the load starts, so a short (smoke) run is not kept waiting.
  const signUntil = Date.now() + (options.poolSeconds ?? 3) * 1000;
  for (let i = 0; i < (options.pool ?? 0) && Date.now() < signUntil; i++) pool.push(dpopProof(htm, htu, ath));
  // Pooled proofs carry the iat of their signing: past half of the servers' 60 s window, sign fresh ones.
  const poolUntil = Date.now() + 30_000;
  let next = 0;
  const fresh: autocannon.Request = {
    method: base.method,
    path: base.path,
    headers,
    setupRequest: ((request: autocannon.Request) => {
      const proof = next < pool.length && Date.now() < poolUntil ? (pool[next++] as string) : dpopProof(htm, htu, ath);
      return { ...request, headers: { ...request.headers, DPoP: proof } };
    }) as unknown as autocannon.Request['setupRequest'],
  };
  return [fresh];
}
