// Optional Prometheus metrics: request counts by endpoint, grant and outcome, and latency histograms,
// with label values from fixed sets only.
import request from 'supertest';
import { Registry } from 'prom-client';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';

describe('metrics', () => {
  it('counts requests by endpoint, grant type and outcome, and times them', async () => {
    const registry = new Registry();
    const { app } = buildTestApp({ metrics: { registry } });
    const header = basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string);
    await request(app).post('/oauth2/token').set('Authorization', header).type('form').send('grant_type=client_credentials');
    await request(app).post('/oauth2/token').set('Authorization', header).type('form').send('grant_type=client_credentials');
    await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, 'x')).type('form').send('grant_type=client_credentials');
    await request(app).post('/oauth2/token').set('Authorization', header).type('form').send('grant_type=made-up-by-a-client');
    const text = await registry.metrics();
    expect(text).toContain('keyturn_requests_total{endpoint="token",grant_type="client_credentials",outcome="success"} 2');
    expect(text).toContain('keyturn_requests_total{endpoint="token",grant_type="client_credentials",outcome="invalid_client"} 1');
    expect(text).toContain('keyturn_requests_total{endpoint="token",grant_type="",outcome="unsupported_grant_type"} 1');
    expect(text).not.toContain('made-up-by-a-client');
    expect(text).toContain('keyturn_request_duration_seconds_count{endpoint="token"} 4');
  });

  it('rejects a metrics option without a registry at construction', () => {
    expect(() => buildTestApp({ metrics: {} as never })).toThrow(/options\.metrics\.registry/);
  });
});
