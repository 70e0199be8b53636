import { extractBearerToken, type BearerRequest } from '../../lib/resource-server/extract-token';
import { BearerTokenMissingError, InvalidBearerRequestError } from '../../lib/errors/bearer-errors';

const headerOnly = { body: false, query: false };
const get = (authorization: string): BearerRequest => ({ method: 'GET', headers: { authorization } });

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. The canonical `Bearer <token>` takes a fast path; every
// other spelling the grammar allows must give the same token, and every spelling it refuses the same error.
describe('extractBearerToken, Authorization header (RFC 6750 §2.1)', () => {
  it.each([
    ['the canonical form', 'Bearer abc.DEF-_~+/9=='],
    ['the scheme in another case (auth-schemes are case-insensitive)', 'bearer abc.DEF-_~+/9=='],
    ['more than one space after the scheme', 'Bearer   abc.DEF-_~+/9=='],
    ['trailing spaces', 'Bearer abc.DEF-_~+/9==  '],
  ])('takes the token from %s', (_name, header) => {
    expect(extractBearerToken(get(header), headerOnly, 'api')).toBe('abc.DEF-_~+/9==');
  });

  it.each([
    ['no token', 'Bearer'],
    ['an empty token', 'Bearer '],
    ['a character outside b64token', 'Bearer abc$def'],
    ['two tokens', 'Bearer abc def'],
    ['"=" inside the token', 'Bearer ab=c'],
  ])('refuses %s as invalid_request', (_name, header) => {
    expect(() => extractBearerToken(get(header), headerOnly, 'api')).toThrow(InvalidBearerRequestError);
  });

  it.each([['Basic YTpi'], ['Bearerish abc'], ['']])('treats %j as no Bearer token at all', (header) => {
    expect(() => extractBearerToken(get(header), headerOnly, 'api')).toThrow(BearerTokenMissingError);
  });
});
