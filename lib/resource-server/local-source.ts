import type { ErrorListener } from '../errors/error-listener';
import type { ErrorRenderer } from '../errors/render';
import type { Store } from '../store/store';
import type { TokenVerifier } from './bearer-auth';
import type { DpopDefaults } from './dpop-settings';

/** What an authorization server lends the resource side of its own process. */
export interface LocalTokenSource {
  /** The verifier for one verification setting; the server keeps one per setting, so caches are shared. */
  verifier(settings: { readonly audience: readonly string[] | undefined; readonly clockTolerance: number; readonly cacheSize: number | undefined }): TokenVerifier;
  /** The server's default realm. */
  readonly realm: string;
  readonly renderError: ErrorRenderer;
  readonly onError: ErrorListener | undefined;
  /** The server's store: DPoP proof `jti`s are recorded there, so every instance sharing it refuses a replay. */
  readonly store: Store;
  /** The server's DPoP proof settings when it has `dpop` options: its routes then accept DPoP by default. */
  readonly dpop: DpopDefaults | undefined;
}

// Kept off the public AuthorizationServer type: the resource side finds a server's internals here.
const sources = new WeakMap<object, LocalTokenSource>();

export function registerLocalTokenSource(server: object, source: LocalTokenSource): void {
  sources.set(server, source);
}

/** The token source of a server made by `createAuthorizationServer`; a `TypeError` for anything else. */
export function localTokenSource(server: unknown, caller: string): LocalTokenSource {
  const source = typeof server === 'object' && server !== null ? sources.get(server) : undefined;
  if (source === undefined) throw new TypeError(`${caller}: options.server must be a server made by createAuthorizationServer`);
  return source;
}
