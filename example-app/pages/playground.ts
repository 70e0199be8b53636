import type { Client } from '../../lib';
import { esc, layout, scriptJson } from './layout';

/** What the playground's script needs to know: the demo's clients (no secrets) and the endpoint paths. */
export interface PlaygroundSettings {
  clients: readonly Client[];
  /** Where Keyturn is mounted, e.g. `/oauth2`. */
  mount: string;
  callbackPath: string;
}

const field = (id: string, label: string, value = '', attrs = '') =>
  `<div><label for="${id}">${esc(label)}</label><input id="${id}" type="text" value="${esc(value)}" spellcheck="false" autocomplete="off" ${attrs}></div>`;

/**
 * The playground: one section per flow, each showing the exact request it sends and the response it gets.
 * Rendered for `/` and for the authorization code flow's callback, where the script picks up the code.
 */
export function playgroundPage(settings: PlaygroundSettings, user: string | undefined): string {
  const clients = settings.clients.map((c) => ({
    clientId: c.clientId,
    public: c.tokenEndpointAuthMethod === 'none',
    grants: c.grants,
    scopes: c.scopes,
  }));
  const codeClient = clients.find((c) => c.public && c.grants.includes('authorization_code')) ?? clients.find((c) => c.grants.includes('authorization_code'));
  const ccClient = clients.find((c) => !c.public && c.grants.includes('client_credentials'));
  const list = clients
    .map((c) => `<li><code>${esc(c.clientId)}</code>${c.public ? ' (public)' : ''}: ${esc(c.grants.join(', '))}; scopes <code>${esc(c.scopes.join(' ') || '-')}</code></li>`)
    .join('');
  const config = { mount: settings.mount, callbackPath: settings.callbackPath, clients };
  return layout(
    'OAuth 2.0 playground',
    `<section>
<h2>What this is</h2>
<p class="hint">Run each flow against this server and see every request and response. Client secrets are in
<code>example-app/config.json</code>; the playground sends what you type and keeps nothing but this tab's sessionStorage.</p>
<ul>${list}</ul>
</section>

<section id="cc">
<h2>1 · Client credentials <small class="hint">(RFC 6749 §4.4)</small></h2>
<div class="row">${field('cc-client-id', 'client_id', ccClient?.clientId ?? '')}${field('cc-client-secret', 'client_secret', '', 'placeholder="from config.json"')}${field('cc-scope', 'scope', ccClient?.scopes[0] ?? '')}</div>
<div class="buttons"><button id="cc-run" type="button">POST /token</button></div>
<div class="exchange" id="cc-exchange"></div>
</section>

<section id="code">
<h2>2 · Authorization code + PKCE <small class="hint">(RFC 6749 §4.1, RFC 7636)</small></h2>
<p class="hint">Starts at the authorization endpoint: you sign in, consent, and come back to <code>${esc(settings.callbackPath)}</code> with a code.
Leave the secret empty for a public client.</p>
<div class="row">${field('code-client-id', 'client_id', codeClient?.clientId ?? '')}${field('code-client-secret', 'client_secret (confidential clients)')}${field('code-scope', 'scope', codeClient === undefined ? '' : codeClient.scopes.join(' '))}</div>
<div class="row">${field('code-redirect-uri', 'redirect_uri', '', 'readonly')}</div>
<div class="buttons"><button id="code-start" type="button">Start: GET /authorize</button><button id="code-exchange" type="button" class="secondary" disabled>Exchange the code: POST /token</button></div>
<div class="exchange" id="code-step"></div>
<div class="exchange" id="code-exchange-out"></div>
</section>

<section id="tokens">
<h2>3 · Use the tokens</h2>
<p class="hint">Filled in from the last token response. Refresh, revoke and introspect authenticate as the client of section 2 (or 1 when 2 is empty).</p>
<div class="row">${field('access-token', 'access_token')}${field('refresh-token', 'refresh_token')}</div>
<div class="buttons">
<button id="call-accounts" type="button">GET /accounts</button>
<button id="call-refresh" type="button" class="secondary">Refresh: POST /token</button>
<button id="call-revoke" type="button" class="secondary">Revoke: POST /revoke</button>
<button id="call-introspect" type="button" class="secondary">Introspect: POST /introspect</button>
</div>
<div class="exchange" id="tokens-exchange"></div>
</section>`,
    {
      ...(user === undefined ? {} : { user }),
      scripts: `<script type="application/json" id="playground-config">${scriptJson(config)}</script>\n<script src="/playground/playground.js"></script>`,
    },
  );
}
