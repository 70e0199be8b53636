import type { RequestState } from '../../core/request-state';
import type { GrantType } from '../../grants/grant-type';

/** The token endpoint's request state: the common one, plus the grant chosen for the request. */
export interface TokenRequestState extends RequestState {
  grant: GrantType | undefined;
}
