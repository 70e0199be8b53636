/**
 * The claims each OpenID Connect scope releases (OpenID Connect Core §5.4): `profile`, `email`, `address`
 * and `phone` request these Standard Claims (§5.1), and nothing else of the user leaves the UserInfo endpoint.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  profile: Object.freeze([
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
    'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ]),
  email: Object.freeze(['email', 'email_verified']),
  address: Object.freeze(['address']),
  phone: Object.freeze(['phone_number', 'phone_number_verified']),
});

/** The claims of the ID Token Keyturn issues (§2), listed in the metadata's `claims_supported`. */
export const ID_TOKEN_CLAIMS: readonly string[] = Object.freeze(['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash']);

/**
 * The UserInfo response: `sub` from the access token, then each claim the app's hook returned that one of
 * the granted scopes releases (§5.4). `sub` is never taken from the hook: §5.3.2 requires it to be the
 * ID Token's. Claims the hook returned with the value `undefined` are left out.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 */
export function releasedClaims(sub: string, scope: readonly string[], claims: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const released: Record<string, unknown> = { sub };
  if (claims === undefined) return released;
  for (const s of scope) {
    const names = Object.hasOwn(SCOPE_CLAIMS, s) ? SCOPE_CLAIMS[s] : undefined;
    if (names === undefined) continue;
    for (const name of names) {
      if (Object.hasOwn(claims, name) && claims[name] !== undefined) released[name] = claims[name];
    }
  }
  return released;
}
