// Every scenario `npm run bench` runs, in order. Add a scenario by adding its module here; add a contender
// (e.g. Keyturn's JWT or Redis configuration after a merge) by adding an entry to its scenario's list and a
// server file to bench/servers/.
import type { Scenario } from '../harness/scenario';
import { clientCredentialsScenario } from './s1-client-credentials';
import { jwtClientCredentialsScenario } from './s2-jwt-client-credentials';
import { refreshRotationScenario } from './s3-refresh-rotation';
import { bearerScenario } from './s4-bearer';
import { scaleScenario } from './s5-scale';
import { dpopBearerScenario } from './s6-dpop-bearer';
import { privateKeyJwtScenario } from './s7-private-key-jwt';

export const scenarios: readonly Scenario[] = [
  clientCredentialsScenario,
  jwtClientCredentialsScenario,
  refreshRotationScenario,
  bearerScenario,
  scaleScenario,
  dpopBearerScenario,
  privateKeyJwtScenario,
];
