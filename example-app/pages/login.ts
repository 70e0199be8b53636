import { esc, layout } from './layout';

/** The demo's sign-in page. `error` is shown above the form after a failed attempt. */
export function loginPage(returnTo: string, error?: string): string {
  return layout(
    'Sign in',
    `<section>
<h2>Sign in</h2>
<p class="hint">Demo users are in <code>example-app/config.json</code> (<code>users</code>).</p>
${error === undefined ? '' : `<p class="error" role="alert">${esc(error)}</p>`}
<form method="post" action="/login">
<input type="hidden" name="returnTo" value="${esc(returnTo)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="buttons"><button type="submit">Sign in</button></div>
</form>
</section>`,
    { narrow: true },
  );
}
