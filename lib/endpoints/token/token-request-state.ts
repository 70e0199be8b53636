import type { RequestState } from '../../core/request-state';
import type { RegisteredGrant } from '../../grants/registered-grant';
import type { VerifiedDpopProof } from '../../dpop/verify-dpop-proof';

/** The token endpoint's request state: the common one, plus the grant chosen for the request. */
export interface TokenRequestState extends RequestState {
  grant: RegisteredGrant | undefined;
  /** The request's verified DPoP proof (RFC 9449), once checkDpopProof passed it; the tokens are bound to its key. */
  dpop: VerifiedDpopProof | undefined;
}
