import type { TokenMinter } from '../tokens/token-issuer';
import type { GrantContext, GrantType } from './grant-type';

/** The context the token endpoint hands every grant: the public one, with the full token minter. */
export interface MintingGrantContext extends GrantContext {
  readonly tokens: TokenMinter;
}

/**
 * A grant as the registry holds it. Built-in grants use the minter's family and stored-token operations; an
 * app's {@link GrantType}, which asks only for a {@link GrantContext}, is one of these as it is.
 */
export interface RegisteredGrant extends Omit<GrantType, 'handle'> {
  handle(ctx: MintingGrantContext): ReturnType<GrantType['handle']>;
}
