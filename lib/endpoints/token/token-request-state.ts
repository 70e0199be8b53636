import type { RequestState } from '../../core/request-state';
import type { RegisteredGrant } from '../../grants/registered-grant';

/** The token endpoint's request state: the common one, plus the grant chosen for the request. */
export interface TokenRequestState extends RequestState {
  grant: RegisteredGrant | undefined;
}
