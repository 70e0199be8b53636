// The playground's browser side: plain DOM, fetch and Web Crypto. Every exchange is shown as the request that
// was sent and the response that came back. Output is written with textContent only, never as HTML.
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('playground-config').textContent);
  const $ = (id) => document.getElementById(id);
  const STORAGE = 'keyturn-playground';
  const redirectUri = location.origin + config.callbackPath;
  $('code-redirect-uri').value = redirectUri;

  function base64url(bytes) {
    let text = '';
    for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function randomValue() {
    return base64url(crypto.getRandomValues(new Uint8Array(32)));
  }
  // RFC 7636 §4.2: code_challenge = BASE64URL(SHA256(ASCII(code_verifier))).
  async function s256(verifier) {
    return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  }
  // RFC 6749 §2.3.1: form-encode id and secret, then base64 "id:secret".
  function basic(id, secret) {
    const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
    return 'Basic ' + btoa(enc(id) + ':' + enc(secret));
  }

  function panel(title, text, statusClass) {
    const box = document.createElement('div');
    const h = document.createElement('h3');
    h.textContent = title;
    const pre = document.createElement('pre');
    if (statusClass) {
      const first = document.createElement('span');
      first.className = statusClass;
      const newline = text.indexOf('\n');
      first.textContent = newline === -1 ? text : text.slice(0, newline);
      pre.append(first, newline === -1 ? '' : text.slice(newline));
    } else {
      pre.textContent = text;
    }
    box.append(h, pre);
    return box;
  }
  function show(target, requestText, responseText, ok) {
    const out = $(target);
    out.replaceChildren(panel('Request', requestText), panel('Response', responseText, ok ? 'status-ok' : 'status-bad'));
  }

  // Sends one request and shows it; returns the parsed JSON body (or undefined).
  async function exchange(target, method, path, headers, body) {
    let requestText = method + ' ' + path + ' HTTP/1.1\nHost: ' + location.host;
    for (const [name, value] of Object.entries(headers)) requestText += '\n' + name + ': ' + value;
    if (body !== undefined) requestText += '\n\n' + body.toString().replace(/&/g, '\n&');
    let response;
    try {
      response = await fetch(path, { method, headers, body, credentials: 'omit', redirect: 'manual' });
    } catch (err) {
      show(target, requestText, 'request failed: ' + err.message, false);
      return undefined;
    }
    const text = await response.text();
    let json;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    let responseText = 'HTTP/1.1 ' + response.status + ' ' + response.statusText;
    for (const name of ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'allow']) {
      const value = response.headers.get(name);
      if (value !== null) responseText += '\n' + name + ': ' + value;
    }
    responseText += '\n\n' + (json === undefined ? text : JSON.stringify(json, null, 2));
    show(target, requestText, responseText, response.ok);
    if (json !== undefined && response.ok) remember(json);
    return json;
  }

  // Token responses fill section 3.
  function remember(json) {
    if (typeof json.access_token === 'string') $('access-token').value = json.access_token;
    if (typeof json.refresh_token === 'string') $('refresh-token').value = json.refresh_token;
  }

  // Client authentication for a token-endpoint request: Basic for a confidential client, client_id alone for a public one.
  function authenticate(clientId, secret, headers, form) {
    if (secret) headers.Authorization = basic(clientId, secret);
    else form.set('client_id', clientId);
  }
  function formHeaders() {
    return { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  }
  function activeClient() {
    const id = $('code-client-id').value.trim();
    if (id) return { id, secret: $('code-client-secret').value };
    return { id: $('cc-client-id').value.trim(), secret: $('cc-client-secret').value };
  }

  // 1. Client credentials.
  $('cc-run').addEventListener('click', () => {
    const headers = formHeaders();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const scope = $('cc-scope').value.trim();
    if (scope) form.set('scope', scope);
    authenticate($('cc-client-id').value.trim(), $('cc-client-secret').value, headers, form);
    exchange('cc-exchange', 'POST', config.mount + '/token', headers, form);
  });

  // 2. Authorization code + PKCE: remember the verifier, state and nonce in this tab, then go to /authorize.
  $('code-start').addEventListener('click', async () => {
    const flow = {
      clientId: $('code-client-id').value.trim(),
      clientSecret: $('code-client-secret').value,
      scope: $('code-scope').value.trim(),
      redirectUri,
      verifier: randomValue(),
      state: randomValue(),
      nonce: randomValue(),
    };
    sessionStorage.setItem(STORAGE, JSON.stringify(flow));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: flow.clientId,
      redirect_uri: flow.redirectUri,
      state: flow.state,
      code_challenge: await s256(flow.verifier),
      code_challenge_method: 'S256',
    });
    if (flow.scope) query.set('scope', flow.scope);
    if (flow.scope.split(' ').includes('openid')) query.set('nonce', flow.nonce);
    location.assign(config.mount + '/authorize?' + query.toString());
  });

  // Back at the callback: show what came back and check state before offering the exchange.
  function onCallback() {
    if (location.pathname !== config.callbackPath) return;
    const flow = JSON.parse(sessionStorage.getItem(STORAGE) || 'null');
    const params = new URLSearchParams(location.search);
    if (flow) {
      $('code-client-id').value = flow.clientId;
      $('code-client-secret').value = flow.clientSecret;
      $('code-scope').value = flow.scope;
    }
    const lines = ['GET ' + location.pathname + location.search];
    for (const [name, value] of params) lines.push('  ' + name + ' = ' + value);
    const stateOk = flow !== null && params.get('state') === flow.state;
    const checks = [
      'state matches the one sent: ' + (stateOk ? 'yes' : 'NO'),
      'code_verifier kept in this tab: ' + (flow ? flow.verifier : '(none: start the flow again)'),
    ];
    const ok = params.has('code') && stateOk;
    show('code-step', lines.join('\n'), (ok ? 'code received\n' : 'no usable code\n') + checks.join('\n'), ok);
    $('code-exchange').disabled = !ok;
    $('code').scrollIntoView();
  }

  $('code-exchange').addEventListener('click', async () => {
    const flow = JSON.parse(sessionStorage.getItem(STORAGE) || 'null');
    const code = new URLSearchParams(location.search).get('code');
    if (!flow || !code) return;
    const headers = formHeaders();
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri, code_verifier: flow.verifier });
    authenticate(flow.clientId, flow.clientSecret, headers, form);
    const json = await exchange('code-exchange-out', 'POST', config.mount + '/token', headers, form);
    if (json && typeof json.id_token === 'string') {
      // Show the id_token's claims next to the response (decoded only: the signature is checked by real clients).
      const claims = JSON.parse(atob(json.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      $('code-exchange-out').append(panel('id_token claims', JSON.stringify(claims, null, 2)));
    }
    // A code is single use: the button would only show invalid_grant from now on.
    $('code-exchange').disabled = true;
  });

  // 3. Using the tokens.
  $('call-accounts').addEventListener('click', () => {
    exchange('tokens-exchange', 'GET', '/accounts', { Accept: 'application/json', Authorization: 'Bearer ' + $('access-token').value.trim() });
  });
  $('call-refresh').addEventListener('click', () => {
    const client = activeClient();
    const headers = formHeaders();
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: $('refresh-token').value.trim() });
    authenticate(client.id, client.secret, headers, form);
    exchange('tokens-exchange', 'POST', config.mount + '/token', headers, form);
  });
  for (const [button, path, hint] of [['call-revoke', '/revoke', 'access_token'], ['call-introspect', '/introspect', 'access_token']]) {
    $(button).addEventListener('click', () => {
      const client = activeClient();
      const headers = formHeaders();
      const form = new URLSearchParams({ token: $('access-token').value.trim(), token_type_hint: hint });
      authenticate(client.id, client.secret, headers, form);
      exchange('tokens-exchange', 'POST', config.mount + path, headers, form);
    });
  }

  onCallback();
})();
