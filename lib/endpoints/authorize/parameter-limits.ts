import { InvalidRequestError } from '../../errors/token-errors';

/**
 * The longest value, in characters, of the authorization request's free-form parameters. The protocols set
 * none; these keep hostile values out of redirects, codes, tokens and logs, and keep the consent form, which
 * carries `state` and `nonce` back, within the body limit of its POST (see {@link "./consent-form-size"}).
 * The others are bounded otherwise: `client_id` and `redirect_uri` by the registration they must match,
 * `scope` by the client's registered scopes, `code_challenge` by its grammar (43 to 128 characters, RFC 7636
 * §4.2), `prompt` and `max_age` by their values (OpenID Connect Core §3.1.2.1).
 */
export const AUTHORIZE_PARAMETER_LIMITS: Readonly<Record<'state' | 'nonce' | 'login_hint', number>> = Object.freeze({
  // Connect2id caps state at 1,024 in a query response, others at about 2,000: longer values are rare,
  // and this one still leaves the sign-in page's return URL (the whole request, encoded again) under 16 KiB.
  state: 2048,
  nonce: 512,
  login_hint: 512,
});

/**
 * Refuses a parameter longer than its limit with `invalid_request`, before the request is acted on: a value
 * that cannot be carried to the end fails at the start (RFC 6749 §4.1.2.1: a redirect once the redirect URI
 * is trusted).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function checkParameterLengths(params: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(AUTHORIZE_PARAMETER_LIMITS) as (keyof typeof AUTHORIZE_PARAMETER_LIMITS)[]) {
    const limit = AUTHORIZE_PARAMETER_LIMITS[name];
    const value = params[name];
    if (value !== undefined && value.length > limit) {
      throw new InvalidRequestError({ description: `${name} is longer than ${limit} characters`, parameter: name });
    }
  }
}
