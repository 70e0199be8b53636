// The one client every token-endpoint server is configured with, and the one request the load generator
// sends to all of them: same id, same secret, same Basic header, same form body. Kept in one file so no
// server can quietly get an easier request than another.

/** The registered client. Unreserved characters only, so RFC 6749 §2.3.1 form-encoding leaves it unchanged. */
export const CLIENT_ID = 'bench-client';
export const CLIENT_SECRET = 'Zq3v8-TkPq1xW4mN7rB2sD5fH9jL0cVe';
export const SCOPE = '/accounts.read';

/** `Authorization: Basic base64(id:secret)` (RFC 6749 §2.3.1). */
export const BASIC_HEADER = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

/** The token request body, exactly as the issue names it. */
export const TOKEN_FORM_BODY = `grant_type=client_credentials&scope=${SCOPE}`;

/** Where every token endpoint is mounted, so the URL matched is the same length for all. */
export const TOKEN_PATH = '/oauth2/token';

/** Where every resource (bearer) route lives. */
export const RESOURCE_PATH = '/api/accounts';

/** Access token lifetime, seconds, for every server. */
export const TOKEN_TTL = 900;

/** What every protected route answers. */
export const RESOURCE_BODY = Object.freeze({ accounts: [] as string[] });

/**
 * The fixed body the bare baselines answer with: the shape and size of a real RFC 6749 §5.1 response
 * (a 43-character token, as 32 random bytes in base64url), so bytes on the wire match the real servers'.
 */
export const FIXED_TOKEN_RESPONSE = Object.freeze({
  access_token: 'x'.repeat(43),
  token_type: 'Bearer',
  expires_in: TOKEN_TTL,
  scope: SCOPE,
});

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The fixed body of the bare baseline in the JWT scenario: a JWT-shaped token of the size an ES256 RFC 9068
 * access token has (header, claims, 64-byte signature), so the baseline sends as many bytes as the signers.
 */
export const FIXED_JWT_TOKEN_RESPONSE = Object.freeze({
  access_token: [
    b64url({ alg: 'ES256', typ: 'at+jwt', kid: 'bench-1' }),
    b64url({
      client_id: CLIENT_ID,
      scope: SCOPE,
      iat: 1_800_000_000,
      exp: 1_800_000_000 + TOKEN_TTL,
      aud: 'https://api.bench.keyturn.test',
      iss: 'https://bench.keyturn.test',
      sub: CLIENT_ID,
      jti: '00000000-0000-4000-8000-000000000000',
    }),
    Buffer.alloc(64, 7).toString('base64url'),
  ].join('.'),
  token_type: 'Bearer',
  expires_in: TOKEN_TTL,
  scope: SCOPE,
});

/**
 * The server `secret` (at least 32 bytes) of the Keyturn rows on Redis that scenarios 2 and 4 compare with and
 * without the key ring: it seals the ring's private keys in the store. The rows with configured `signingKeys`
 * get it too, so the two differ only in where the keys come from.
 */
export const SERVER_SECRET = 'bench-only-secret-0123456789abcdef0123456789';

/** Scenario 7: the client that authenticates with `private_key_jwt` (RFC 7523), beside the hashed-secret one. */
export const ASSERTION_CLIENT_ID = 'bench-pk-client';
/** The issuer of the scenario-7 servers: the audience of the assertions. */
export const ASSERTION_ISSUER = 'https://bench.keyturn.test';
export const ASSERTION_KID = 'bench-pk-1';
/**
 * The scenario-7 client's ES256 key, fixed so that the load generator (which signs) and the server (which
 * holds the public half) agree without talking. A benchmark key, never a real one.
 */
export const ASSERTION_PRIVATE_JWK = Object.freeze({
  kty: 'EC',
  crv: 'P-256',
  x: 'GqOZMhdDo_lCyKfp3RdaNn_FZqlAKUrJXX2r6eehVkE',
  y: 'NxKyLRKlgBAYXekcKkoQbGoFtsNCkaSxPxmU_QR2p_w',
  d: 'bjtQoYLiglL3JTQ4Z5dqjF0G75EcPUgnlIiYKiPA8K0',
});
