import type { Client } from '../../clients/client';
import type { CodeChallengeMethod } from '../../grants/pkce';
import type { PromptValue } from './interaction';

/** Where errors of an authorization request may be sent, once the client and redirect URI are trusted. */
export interface AuthorizeRedirectTarget {
  readonly redirectUri: string;
  readonly state: string | undefined;
  /** 302 for the GET request, 303 for the consent POST (so the browser follows with a GET). */
  readonly status: 302 | 303;
}

/** A validated authorization request (RFC 6749 §4.1.1 with RFC 7636 and OpenID Connect's nonce). */
export interface AuthorizationRequest {
  readonly client: Client;
  readonly redirectUri: string;
  /** True when the request named `redirect_uri` (then the token request must repeat it, §4.1.3). */
  readonly redirectUriSent: boolean;
  readonly scope: readonly string[];
  /** The resources (RFC 8707) the client asked for, checked against its `resources`; absent when none. */
  readonly resource?: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: CodeChallengeMethod | undefined;
  readonly nonce: string | undefined;
  /** RFC 9449 §10 `dpop_jkt`: the DPoP key thumbprint the code is bound to. */
  readonly dpopJkt?: string | undefined;
  /** OpenID Connect `prompt` values; empty when none were sent. */
  readonly prompt: readonly PromptValue[];
  /** OpenID Connect `max_age`, seconds. */
  readonly maxAge: number | undefined;
  /** OpenID Connect `login_hint`. */
  readonly loginHint: string | undefined;
}

/** The query of an authorization request: single values, and the names of parameters sent more than once. */
export interface AuthorizeQuery {
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly repeated: readonly string[];
  /** The `resource` values (RFC 8707 §2), which may repeat; absent when none was sent. */
  readonly resources?: readonly string[];
  /** True when `resource` came as something other than strings: `invalid_target`, redirected. */
  readonly resourceMalformed?: boolean;
}
