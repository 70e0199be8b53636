// The demo as a relying party meets it: the real process (`npm run demo` via startDemo) on a free port other
// than 3000, with the shipped config (its issuer and redirect URIs follow the port), and a person's part
// (sign-in and consent forms) played with plain HTTP: redirects followed by hand, cookies kept per origin.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type DemoProcess } from './demo-process';

const SHIPPED = join(__dirname, '..', '..', 'example-app', 'config.json');

/** A port nobody listens on right now, never 3000 (the demo's default, which these tests must not rely on). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    if (port !== 3000 && port !== 0) return port;
  }
}

export interface RunningDemo extends DemoProcess {
  issuer: string;
}

/**
 * Starts the demo process on `port` with the shipped config, which pins no address: the issuer and the
 * playground's callback must follow PORT. `extraRedirectUris` adds URIs to clients, through a copy of the config.
 */
export async function startDemoOnPort(port: number, extraRedirectUris: Record<string, string[]> = {}): Promise<RunningDemo> {
  const base = `http://127.0.0.1:${port}`;
  let dir: string | undefined;
  let file = SHIPPED;
  if (Object.keys(extraRedirectUris).length > 0) {
    const shipped = JSON.parse(await readFile(SHIPPED, 'utf8')) as { clients: Array<{ clientId: string; redirectUris?: string[] }> };
    const config = {
      ...shipped,
      clients: shipped.clients.map((c) => ({ ...c, redirectUris: [...(c.redirectUris ?? []), ...(extraRedirectUris[c.clientId] ?? [])] })),
    };
    dir = await mkdtemp(join(tmpdir(), 'keyturn-rp-'));
    file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify(config));
  }
  const demo = await startDemo({ PORT: String(port), KEYTURN_CONFIG: file, LOG_LEVEL: 'silent' });
  if (demo.url !== base) throw new Error(`demo listens on ${demo.url}, expected ${base}`);
  return {
    ...demo,
    issuer: `${base}/oauth2`,
    stop: async () => {
      await demo.stop();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A shipped demo client and user (example-app/config.json). */
export const FALCON = { clientId: 'falcon-demo-client', clientSecret: 'falcon-demo-secret-change-me' };
export const ALICE = { username: 'alice', password: 'alice-demo-password-change-me' };

/** A browser reduced to what these flows need: manual redirects, cookies per origin. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookieHeader(url: URL): string {
    return [...(this.jar.get(url.origin) ?? new Map<string, string>()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers,
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair as string).indexOf('=');
      const jar = this.jar.get(url.origin) ?? new Map<string, string>();
      jar.set((pair as string).slice(0, eq).trim(), (pair as string).slice(eq + 1).trim());
      this.jar.set(url.origin, jar);
    }
    return res;
  }

  /** Follows redirects by hand from `url` until a response that is not a redirect, or until `stop` says so. */
  async follow(url: URL, stop: (next: URL) => boolean = () => false): Promise<{ url: URL; res: Response }> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const res = await this.request(current);
      if (res.status < 300 || res.status >= 400) return { url: current, res };
      const next = new URL(res.headers.get('location') as string, current);
      await res.arrayBuffer();
      if (stop(next)) return { url: next, res };
      current = next;
    }
    throw new Error(`too many redirects from ${url.href}`);
  }

  /**
   * Plays the person at the demo: from an authorization URL, through the demo's /login form and its consent
   * page, and returns the redirect the consent answered with (the client's callback, code and state included).
   */
  async signInAndConsent(authorizationUrl: URL, user: { username: string; password: string }): Promise<URL> {
    const demo = authorizationUrl.origin;
    const toLogin = await this.follow(authorizationUrl);
    expect(toLogin.url.pathname).toBe('/login');
    expect(toLogin.res.status).toBe(200);
    const loginPage = await toLogin.res.text();
    const returnTo = /name="returnTo" value="([^"]*)"/.exec(loginPage)?.[1]?.replace(/&amp;/g, '&');
    expect(returnTo).toBeDefined();

    const signedIn = await this.request(new URL('/login', demo), { form: { ...user, returnTo: returnTo as string } });
    expect(signedIn.status).toBe(303);
    // A consent the demo remembers (same user, client and scope) skips the page: the redirect then already
    // carries the code (or an error) to the client's callback.
    const consent = await this.follow(new URL(signedIn.headers.get('location') as string, demo), isCallback);
    if (isCallback(consent.url)) return consent.url;
    expect(consent.res.status).toBe(200);
    const html = await consent.res.text();
    const action = /<form method="post" action="([^"]*\/authorize\/consent)"/.exec(html)?.[1];
    expect(action).toBeDefined();
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], (m[2] as string).replace(/&amp;/g, '&')]));

    const decided = await this.request(new URL(action as string, demo), { form: { ...fields, decision: 'allow' } });
    expect(decided.status).toBe(303);
    return new URL(decided.headers.get('location') as string, demo);
  }
}

function isCallback(url: URL): boolean {
  return !url.pathname.startsWith('/oauth2/') && !url.pathname.startsWith('/login') && (url.searchParams.has('code') || url.searchParams.has('error'));
}

/** A PKCE pair (RFC 7636 §4.1, §4.2, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** RFC 7662 introspection at the demo, authenticated as the falcon demo client. */
export async function introspect(issuer: string, token: string, hint?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${issuer}/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${FALCON.clientId}:${FALCON.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token, ...(hint ? { token_type_hint: hint } : {}) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}
