// End to end in a real browser: `npm run test:e2e`. Starts the demo the way `npm run demo` does, then drives
// the playground, the sign-in page and the consent page in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core; no browser is downloaded): client credentials; authorization code + PKCE (sign in,
// consent, back at the callback with a code, exchange it); call /accounts with the token. Saves a screenshot
// of each page under spec-output/e2e/. Exits non-zero on the first failure.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type DemoProcess } from '../support/demo-process';

const ROOT = join(__dirname, '..', '..');
const OUTPUT = join(ROOT, 'spec-output', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let step = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  step += 1;
  const file = join(OUTPUT, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file.slice(ROOT.length + 1)}`);
}

/** Waits until the element's text contains `text`, and returns the text. */
async function waitForText(page: Page, selector: string, text: string): Promise<string> {
  const locator = page.locator(selector);
  await locator.filter({ hasText: text }).waitFor({ timeout: 15_000 });
  return locator.innerText();
}

async function run(): Promise<void> {
  mkdirSync(OUTPUT, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The shipped config as it is: the issuer and the playground's callback follow PORT.
  const scratch = mkdtempSync(join(tmpdir(), 'keyturn-e2e-'));

  let demo: DemoProcess | undefined;
  let context: BrowserContext | undefined;
  try {
    demo = await startDemo({ PORT: String(port) });
    console.log(`demo at ${demo.url}`);
    context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    console.log('playground');
    await page.goto(`${base}/`);
    assert.equal(await page.title(), 'OAuth 2.0 playground · Keyturn demo');
    await screenshot(page, 'playground');

    console.log('client credentials');
    assert.equal(await page.inputValue('#cc-client-id'), '5clTR_MdVrrkgxw2');
    await page.fill('#cc-client-secret', 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-');
    await page.click('#cc-run');
    const cc = await waitForText(page, '#cc-exchange', 'HTTP/1.1 200');
    assert.match(cc, /POST \/oauth2\/token HTTP\/1\.1/);
    assert.match(cc, /"token_type": "Bearer"/);
    await screenshot(page, 'client-credentials');

    console.log('authorization code + PKCE: sign in');
    assert.equal(await page.inputValue('#code-client-id'), 'keyturn-playground');
    assert.equal(await page.inputValue('#code-redirect-uri'), `${base}/playground/callback`);
    await Promise.all([page.waitForURL(/\/login\?returnTo=/), page.click('#code-start')]);
    await screenshot(page, 'login');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice-demo-password-change-me');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);

    console.log('consent');
    const consent = await page.locator('main').innerText();
    assert.match(consent, /keyturn-playground wants to access your account/);
    assert.match(consent, /Signed in as alice/);
    await screenshot(page, 'consent');
    await Promise.all([page.waitForURL(/\/playground\/callback\?code=/), page.click('button[value=allow]')]);

    console.log('callback and code exchange');
    const callback = await waitForText(page, '#code-step', 'code received');
    assert.match(callback, /state matches the one sent: yes/);
    assert.match(callback, new RegExp(`iss = ${base}/oauth2`));
    await screenshot(page, 'callback');
    await page.click('#code-exchange');
    const exchanged = await waitForText(page, '#code-exchange-out', 'id_token claims');
    assert.match(exchanged, /HTTP\/1\.1 200/);
    assert.match(exchanged, /grant_type=authorization_code/);
    assert.match(exchanged, /"sub": "alice"/);
    assert.match(exchanged, /"aud": "keyturn-playground"/);
    // An opaque access token issued from a code belongs to the code's grant family: `<family seed>.<secret>`.
    assert.match(await page.inputValue('#access-token'), /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/, 'the access token fills section 3');
    await screenshot(page, 'token-response');

    console.log('GET /accounts with the token');
    await page.click('#call-accounts');
    const accounts = await waitForText(page, '#tokens-exchange', 'HTTP/1.1 200');
    assert.match(accounts, /GET \/accounts HTTP\/1\.1/);
    assert.match(accounts, /Authorization: Bearer [A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/);
    assert.match(accounts, /"accounts": \[\]/);
    await screenshot(page, 'accounts');

    console.log('introspect (shows whatever the server answers)');
    await page.click('#call-introspect');
    await waitForText(page, '#tokens-exchange', 'POST /oauth2/introspect');
    await screenshot(page, 'introspect');

    console.log('an unregistered redirect_uri is an error page, not a redirect');
    const evil = `${base}/oauth2/authorize?response_type=code&client_id=keyturn-playground&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`;
    const response = await page.goto(evil);
    assert.equal(response?.status(), 400);
    assert.equal(new URL(page.url()).host, `127.0.0.1:${port}`);
    assert.match(await page.locator('body').innerText(), /redirect_uri is not registered for this client/);
    await screenshot(page, 'error-page');

    assert.deepEqual(pageErrors, [], 'no script errors in the pages');
    console.log(`e2e: passed (${step} screenshots in spec-output/e2e/)`);
  } finally {
    await context?.close();
    await demo?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

run().catch((err: unknown) => {
  console.error('e2e: FAILED');
  console.error(err);
  process.exit(1);
});
