import { InvalidScopeError } from './errors/token-errors';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), i.e. printable ASCII except
// space, double quote and backslash. Tokens such as "/accounts.write" (Moov) are valid.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when `value` is one RFC 6749 §3.3 scope token (printable ASCII, no space, quote or backslash). */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * Parses a space-delimited scope string into its distinct tokens, in order of first appearance.
 * Throws {@link InvalidScopeError} for a token with characters RFC 6749 §3.3 does not allow.
 *
 * @example
 * ```ts
 * parseScope('/accounts.read /accounts.write'); // ['/accounts.read', '/accounts.write']
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function parseScope(scope: string): string[] {
  const tokens: string[] = [];
  for (const token of scope.split(' ')) {
    // Tolerate doubled spaces: they carry no meaning and real clients send them.
    if (token === '') continue;
    if (!SCOPE_TOKEN.test(token)) {
      throw new InvalidScopeError({
        description: 'scope contains a character RFC 6749 §3.3 does not allow',
        parameter: 'scope',
      });
    }
    if (!tokens.includes(token)) tokens.push(token);
  }
  return tokens;
}

/** Joins scope tokens into the space-delimited form used on the wire. */
export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/**
 * Returns the tokens of `requested` that are not in `allowed` (empty when `requested` is a subset).
 */
export function scopesOutside(requested: readonly string[], allowed: ReadonlySet<string> | readonly string[]): string[] {
  const allowedSet = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
  return requested.filter((s) => !allowedSet.has(s));
}

/**
 * Resolves the scope of a request against what may be granted: the requested tokens when all are
 * allowed, the defaults when none were requested. Throws {@link InvalidScopeError} otherwise.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function resolveScope(
  requested: string | undefined,
  allowed: ReadonlySet<string>,
  defaults: readonly string[],
): string[] {
  if (requested === undefined) return [...defaults];
  const scopes = parseScope(requested);
  if (scopes.length === 0) return [...defaults];
  const outside = scopesOutside(scopes, allowed);
  if (outside.length > 0) {
    throw new InvalidScopeError({
      description: `scope not allowed: ${formatScope(outside)}`,
      parameter: 'scope',
      parameterValue: requested,
    });
  }
  return scopes;
}
