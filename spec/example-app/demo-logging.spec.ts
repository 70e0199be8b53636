// The demo's request log never holds a credential (README: "Authorization and cookie headers redacted,
// bodies never logged"). pino-http also logs the URL, the parsed query and the response headers, and an
// authorization code travels in both: in the playground callback's query (/playground/callback?code=...) and
// in the `Location` of the redirect that delivers it.
import express from 'express';
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import type { LoadedConfig } from '../../example-app/config';
import { demoLogger, httpLogger, redactUrl } from '../../example-app/logging';
import { hashClientSecret } from '../../lib';

const CODE = 'Zq3xUu0Yt9F8n2kJ4pQ7aA.Hk2LxV9mN3pQ8rS1tU5wY7zA0bC4dE6fG8hJ0kL2mN';

function logged() {
  const lines: string[] = [];
  const logger = demoLogger('info', { write: (line: string) => void lines.push(line) });
  return { lines, logger };
}

// pino-http writes its line when the response finishes, which may be just after the client has it.
async function settled(lines: string[], count: number): Promise<void> {
  for (let i = 0; i < 100 && lines.length < count; i++) await new Promise((resolve) => setImmediate(resolve));
  expect(lines.length).toBeGreaterThanOrEqual(count);
}

describe('demo request log', () => {
  it('redacts a code in the query, in url and query alike, and keeps the rest', async () => {
    const { lines, logger } = logged();
    const config: LoadedConfig = { clients: [{ clientId: 'a', clientSecretHash: await hashClientSecret('b', { logN: 10 }), grants: ['client_credentials'], scopes: ['x'] }] };
    const root = express();
    root.use(httpLogger(logger));
    root.use(buildApp(config).app);
    const res = await request(root).get(`/playground/callback?code=${CODE}&state=st-1&iss=x`).set('Authorization', 'Bearer secret-token').set('Cookie', 'demo_session=s3cr3t');
    expect(res.status).toBe(200);
    await settled(lines, 1);
    const text = lines.join('\n');
    expect(text).not.toContain(CODE);
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('s3cr3t');
    const line = JSON.parse(lines[0] as string);
    expect(line.req.url).toBe('/playground/callback?code=%5Bredacted%5D&state=st-1&iss=x');
    expect(line.req.query).toEqual({ code: '[redacted]', state: 'st-1', iss: 'x' });
  });

  it('redacts the Location of a redirect, which carries the code to the client', async () => {
    const { lines, logger } = logged();
    const root = express();
    root.use(httpLogger(logger));
    root.get('/authorize', (_req, res) => res.redirect(`https://client.example/cb?code=${CODE}&state=s`));
    expect((await request(root).get('/authorize')).status).toBe(302);
    await settled(lines, 1);
    expect(lines.join('\n')).not.toContain(CODE);
    expect(JSON.parse(lines[0] as string).res.headers.location).toBe('[redacted]');
  });

  it('leaves the live req.query alone: the app still reads the code', async () => {
    const { logger } = logged();
    const root = express();
    root.use(httpLogger(logger));
    root.get('/cb', (req, res) => void res.json(req.query));
    expect((await request(root).get(`/cb?code=${CODE}`)).body).toEqual({ code: CODE });
    expect(redactUrl('/cb')).toBe('/cb');
    expect(redactUrl(`/cb?ACCESS_TOKEN=${CODE}`)).toBe('/cb?ACCESS_TOKEN=%5Bredacted%5D');
  });

  it('redacts a code in the Referer, and the callback page asks browsers to send none (RFC 9700 §4.2.4)', async () => {
    const { lines, logger } = logged();
    const config: LoadedConfig = { clients: [{ clientId: 'a', clientSecretHash: await hashClientSecret('b', { logN: 10 }), grants: ['client_credentials'], scopes: ['x'] }] };
    const root = express();
    root.use(httpLogger(logger));
    root.use(buildApp(config).app);
    const callback = await request(root).get(`/playground/callback?code=${CODE}&state=st-1`);
    expect(callback.headers['referrer-policy']).toBe('no-referrer');
    const next = await request(root).get('/playground/playground.js').set('Referer', `http://127.0.0.1:3000/playground/callback?code=${CODE}&state=st-1`);
    expect(next.status).toBe(200);
    await settled(lines, 2);
    expect(lines.join('\n')).not.toContain(CODE);
    expect(JSON.parse(lines[1] as string).req.headers.referer).toBe('http://127.0.0.1:3000/playground/callback?code=%5Bredacted%5D&state=st-1');
  });
});
