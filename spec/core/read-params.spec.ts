// RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once." §3.1: "Parameters
// sent without a value MUST be treated as if they were omitted from the request." Every value is a string
// on the wire; a JSON body's number, object or array is malformed, not coerced. Every failure is a 400
// invalid_request that names the parameter (echoed safely), never a 500.
import type { OAuthError } from '../../lib/errors';
import { InvalidRequestError, RequestTooLargeError } from '../../lib/errors';
import type { PlainRequest } from '../../lib/http';
import { readParams, requireParam } from '../../lib/core/read-params';
import { requestState, type BodyType, type RequestState } from '../../lib/core/request-state';

const REQUEST: PlainRequest = { method: 'POST', path: '/token', headers: {}, ip: '203.0.113.7' };
const state = (body: unknown, bodyType: BodyType | undefined = 'form', bodyError?: OAuthError): RequestState =>
  requestState('token', { request: REQUEST, body, bodyType, ...(bodyError === undefined ? {} : { bodyError }) });

/** The error `run` threw; fails the test when it threw none. */
function thrown(run: () => void): OAuthError {
  try {
    run();
  } catch (err) {
    return err as OAuthError;
  }
  throw new Error('expected a throw');
}
const failure = (s: RequestState): OAuthError => thrown(() => readParams(s));

describe('readParams (RFC 6749 §3.1, §3.2)', () => {
  it('keeps a body of single string values as the parameters', () => {
    const s = state({ grant_type: 'client_credentials', scope: '/accounts.read' });
    readParams(s);
    expect({ ...s.params }).toEqual({ grant_type: 'client_credentials', scope: '/accounts.read' });
  });

  it('§3.1: a parameter sent without a value is treated as omitted', () => {
    const s = state({ grant_type: 'client_credentials', scope: '', client_id: 'job' });
    readParams(s);
    expect({ ...s.params }).toEqual({ grant_type: 'client_credentials', client_id: 'job' });
    expect('scope' in s.params).toBe(false);
  });

  it('§3.2: a form parameter included more than once is invalid_request naming it', () => {
    const err = failure(state({ grant_type: 'client_credentials', scope: ['a', 'b'] }, 'form'));
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err).toMatchObject({ code: 'invalid_request', status: 400, description: 'parameter scope is repeated', parameter: 'scope' });
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an object', { nested: 'x' }],
    ['an array (JSON has no repeated fields)', ['a', 'b']],
  ])('a JSON value that is %s is invalid_request, not coerced', (_case, value) => {
    const err = failure(state({ grant_type: 'client_credentials', scope: value }, 'json'));
    expect(err).toMatchObject({ code: 'invalid_request', status: 400, description: 'parameter scope must be a string', parameter: 'scope' });
  });

  it.each([
    ['no body at all', undefined],
    ['a JSON array', ['grant_type']],
    ['a JSON string', 'grant_type=client_credentials'],
    ['JSON null', null],
  ])('a body that is %s is invalid_request', (_case, body) => {
    expect(failure(state(body, 'json'))).toMatchObject({ code: 'invalid_request', status: 400, description: 'the request body must be an object of parameters' });
  });

  // RFC 8707 §2: "Multiple resource parameters MAY be used to indicate that the requested token is intended
  // to be used at multiple resources." The one exception to §3.2.
  it.each([
    ['a single form value', 'form', 'https://a.example/', ['https://a.example/']],
    ['a repeated form field', 'form', ['https://a.example/', 'https://b.example/'], ['https://a.example/', 'https://b.example/']],
    ['a JSON string', 'json', 'https://a.example/', ['https://a.example/']],
    ['a JSON array', 'json', ['https://a.example/', 'https://b.example/'], ['https://a.example/', 'https://b.example/']],
    ['empty values, omitted (§3.1)', 'form', ['', 'https://a.example/', ''], ['https://a.example/']],
  ] as const)('resource may repeat: %s is kept apart from the parameters', (_case, bodyType, value, resources) => {
    const s = state({ grant_type: 'client_credentials', resource: value }, bodyType);
    readParams(s);
    expect(s.resources).toEqual(resources);
    expect({ ...s.params }).toEqual({ grant_type: 'client_credentials' });
  });

  it('resource sent empty, or not at all, is no resource', () => {
    for (const body of [{ grant_type: 'client_credentials', resource: '' }, { grant_type: 'client_credentials', resource: [''] }, { grant_type: 'client_credentials' }]) {
      const s = state(body, 'form');
      readParams(s);
      expect(s.resources).toBeUndefined();
    }
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', { uri: 'https://a.example/' }],
    ['an array with a number', ['https://a.example/', 7]],
    ['a nested array', [['https://a.example/']]],
  ])('a JSON resource that is %s is invalid_request', (_case, value) => {
    expect(failure(state({ grant_type: 'client_credentials', resource: value }, 'json'))).toMatchObject({
      code: 'invalid_request', status: 400, description: 'parameter resource must be a string or a list of strings', parameter: 'resource',
    });
  });

  it('a body the adapter could not parse fails here with the adapter\'s error, as it is', () => {
    const tooLarge = new RequestTooLargeError({ description: 'the request body is too large' });
    expect(failure(state(undefined, undefined, tooLarge))).toBe(tooLarge);
  });

  it('parameter names echoed in errors are made printable and cut at 64 characters', () => {
    expect(failure(state({ 'sco\u0000pe\u00e9': 1 }, 'json'))).toMatchObject({ description: 'parameter sco?pe? must be a string', parameter: 'sco?pe?' });
    const long = 'x'.repeat(100);
    expect(failure(state({ [long]: ['a', 'b'] }, 'form'))).toMatchObject({ description: `parameter ${'x'.repeat(64)}... is repeated`, parameter: `${'x'.repeat(64)}...` });
  });

  it('the parameters have no prototype: names like __proto__, constructor and toString are plain parameters', () => {
    const body = JSON.parse('{"__proto__":"p","constructor":"c"}') as Record<string, unknown>;
    const s = state(body, 'json');
    readParams(s);
    expect(Object.getPrototypeOf(s.params)).toBeNull();
    expect(Object.keys(s.params).sort()).toEqual(['__proto__', 'constructor']);
    expect(s.params.constructor).toBe('c');
    expect(s.params.toString).toBeUndefined();
  });
});

describe('requireParam', () => {
  const parsed = (body: Record<string, string>): RequestState => {
    const s = state(body);
    readParams(s);
    return s;
  };

  it('passes when the parameter is present', () => {
    expect(requireParam('token')(parsed({ token: 'abc' }))).toBeUndefined();
  });

  it('a missing or empty parameter is invalid_request naming it', () => {
    for (const body of [{}, { token: '' }] as Record<string, string>[]) {
      const err = thrown(() => requireParam('token')(parsed(body)));
      expect(err).toBeInstanceOf(InvalidRequestError);
      expect(err).toMatchObject({ code: 'invalid_request', status: 400, description: 'token is required', parameter: 'token' });
    }
  });

  it('a name that Object.prototype carries is still missing when not sent', () => {
    expect(() => requireParam('toString')(parsed({}))).toThrow('toString is required');
  });
});
