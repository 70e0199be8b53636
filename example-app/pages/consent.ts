import type { ConsentDetails } from '../../lib';
import { esc, layout } from './layout';

// What each demo scope lets the client do, in words a person can judge.
const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'Know who you are (your user name)',
  '/accounts.read': 'Read your accounts',
  '/accounts.write': 'Create accounts for you',
};

/** The demo's consent page: a form that posts Keyturn's hidden fields back with allow or deny. */
export function consentPage({ client, user, scope, resource, action, fields }: ConsentDetails): string {
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n');
  const items = scope.map((s) => `<li><code>${esc(s)}</code> · ${esc(SCOPE_TEXT[s] ?? 'Access this scope')}</li>`).join('\n');
  return layout(
    'Allow access?',
    `<section>
<h2><code>${esc(client.clientId)}</code> wants to access your account</h2>
<p>Signed in as <strong>${esc(user.sub)}</strong>. It asks to:</p>
<ul class="scopes">${items || '<li>(no scopes)</li>'}</ul>
${resource === undefined ? '' : `<p>Only at (RFC 8707 resources):</p>\n<ul class="scopes">${resource.map((r) => `<li><code>${esc(r)}</code></li>`).join('\n')}</ul>`}
<form method="post" action="${esc(action)}">
${hidden}
<div class="buttons">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>
</section>`,
    { user: user.sub, narrow: true },
  );
}
