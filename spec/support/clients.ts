import type { Client } from '../../lib';

// Plaintext secrets (allowPlaintextSecrets) keep the suites free of scrypt's deliberate slowness.
export const JOB: Client = { clientId: 'reporting-job', clientSecret: 'job-secret', grants: ['client_credentials'], scopes: ['/accounts.read', '/accounts.write'] };
export const OTHER: Client = { clientId: 'other-job', clientSecret: 'other-secret', grants: ['client_credentials'], scopes: ['/accounts.read'] };
export const OPAQUE_JOB: Client = { ...JOB, clientId: 'opaque-job', clientSecret: 'opaque-secret', accessTokenFormat: 'opaque' };
export const JWT_JOB: Client = { ...JOB, clientId: 'jwt-job', clientSecret: 'jwt-secret', accessTokenFormat: 'jwt' };
/** A resource server registered to introspect any client's tokens (RFC 7662 §4). */
export const RESOURCE_SERVER: Client = { clientId: 'accounts-api', clientSecret: 'api-secret', grants: ['client_credentials'], scopes: [], introspection: 'any' };
export const PUBLIC_APP: Client = { clientId: 'public-app', grants: ['refresh_token'], scopes: ['/accounts.read'], tokenEndpointAuthMethod: 'none' };

export const ALL_CLIENTS: readonly Client[] = [JOB, OTHER, OPAQUE_JOB, JWT_JOB, RESOURCE_SERVER, PUBLIC_APP];
