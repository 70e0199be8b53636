// Bad input gets a clear error: 200 random malformed token requests, each built with at least one defect,
// must all be answered with a 4xx and a JSON error body, never a 500, a hang or a leaked stack. The PRNG is
// seeded so a failure can be replayed; the seed is printed in the test name.
import request from 'supertest';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';
import { fuzz, fuzzSeed } from '../support/fuzz';

const SEED = fuzzSeed(20261122);
const { random, pick, junk } = fuzz(SEED);
const goodAuth = basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string);

interface Case {
  contentType?: string;
  authorization?: string;
  body?: string | Buffer;
  /** The error codes the case may get, when only some are right. */
  codes?: readonly string[];
}

// RFC 8707 §2 resource indicators: malformed ones are invalid_target, ones that are no string invalid_request.
const TARGET = ['invalid_target', 'invalid_request'] as const;
const resourceForm = (values: readonly string[]) => `grant_type=client_credentials&${values.map((v) => `resource=${encodeURIComponent(v)}`).join('&')}`;

// Each generator returns a request that is wrong in at least one way.
const generators: Array<() => Case> = [
  () => ({ contentType: pick(['text/plain', 'application/xml', 'image/png', 'multipart/form-data', 'application/jsonx']), authorization: goodAuth, body: 'grant_type=client_credentials' }),
  () => ({ contentType: 'application/json', authorization: goodAuth, body: junk(200) }),
  () => ({ contentType: 'application/json', authorization: goodAuth, body: JSON.stringify({ grant_type: pick([1, true, null, [], {}, ['client_credentials']]) }) }),
  () => ({ contentType: 'application/json', authorization: goodAuth, body: JSON.stringify(pick([[], 'x', 42, null])) }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: `grant_type=client_credentials&grant_type=${encodeURIComponent(junk(10))}` }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: `grant_type=${encodeURIComponent(junk(30) || 'x')}` }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(junk(40)).toString('base64')}`, body: 'grant_type=client_credentials' }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: `${pick(['Basic', 'basic', 'Bearer', 'Digest'])} ${junk(30).replace(/[^\x20-\x7e]/g, '')}`, body: 'grant_type=client_credentials' }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: `grant_type=client_credentials&scope=${encodeURIComponent(`/accounts.read "${junk(5)}\\`)}` }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: `grant_type=client_credentials&scope=%2Fadmin%20${encodeURIComponent(junk(8).replace(/[\s"\\]/g, '') || 'x')}` }),
  () => ({ contentType: 'application/x-www-form-urlencoded', body: `grant_type=client_credentials&client_id=${encodeURIComponent(junk(20) || 'x')}&client_secret=${encodeURIComponent(junk(20) || 'y')}` }),
  () => ({ contentType: pick(['application/json', 'application/x-www-form-urlencoded']), authorization: goodAuth, body: `{"grant_type":"client_credentials","pad":"${'x'.repeat(17_000 + Math.floor(random() * 5000))}"}` }),
  () => ({ contentType: 'application/json; charset=' + pick(['latin1', 'utf-16', 'ebcdic', 'x']), authorization: goodAuth, body: '{"grant_type":"client_credentials"}' }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: `scope=${encodeURIComponent(junk(10))}` }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: Array.from({ length: 150 }, (_, i) => `p${i}=1`).join('&') }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, body: 'grant_type=client_credentials&client_id=someone-else' }),
  () => ({ contentType: 'application/json', authorization: goodAuth, body: JSON.stringify({ grant_type: 'client_credentials', client_id: MOOV_CLIENT.clientId, client_secret: junk(12) || 'z' }) }),
  () => ({ contentType: 'application/json', body: JSON.stringify({ grant_type: 'client_credentials', client_id: { $ne: null }, client_secret: 'x' }) }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, codes: TARGET, body: resourceForm([`https://api.example/${'x'.repeat(2000 + Math.floor(random() * 12_000))}`]) }),
  () => ({ contentType: 'application/json', authorization: goodAuth, codes: TARGET, body: JSON.stringify({ grant_type: 'client_credentials', resource: Array.from({ length: 1 + Math.floor(random() * 500) }, () => 'https://api.example/') }) }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, codes: TARGET, body: resourceForm(Array.from({ length: 1 + Math.floor(random() * 400) }, () => pick(['https://api.example/', 'urn:x:y', junk(12) || 'z']))) }),
  () => ({ contentType: 'application/x-www-form-urlencoded', authorization: goodAuth, codes: TARGET, body: resourceForm([pick(['/relative', 'api.example', 'https://api.example/#frag', '#', ':', 'https:// space', junk(30) || 'q'])]) }),
  () => ({ contentType: 'application/json', authorization: goodAuth, codes: TARGET, body: JSON.stringify({ grant_type: 'client_credentials', resource: pick([1, true, null, {}, [1], [['https://api.example/']], { 0: 'https://api.example/' }, ['https://api.example/', null]]) }) }),
];

describe(`fuzz: 200 malformed token requests (seed ${SEED})`, () => {
  const { app } = buildTestApp();

  it('every one gets a 4xx with a JSON error and no stack', async () => {
    for (let i = 0; i < 200; i++) {
      const generator = generators[i % generators.length] as () => Case;
      const c = generator();
      let req = request(app).post('/oauth2/token');
      if (c.contentType !== undefined) req = req.set('Content-Type', c.contentType);
      if (c.authorization !== undefined) req = req.set('Authorization', c.authorization);
      const res = await req.send(c.body ?? '');
      const context = `case ${i} (generator ${i % generators.length}): ${JSON.stringify({ ...c, body: String(c.body).slice(0, 80) })}`;
      expect({ context, status: res.status >= 400 && res.status < 500 }).toEqual({ context, status: true });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(typeof res.body.error).toBe('string');
      if (c.codes !== undefined) expect({ context, error: c.codes.includes(res.body.error) }).toEqual({ context, error: true });
      expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });
});
