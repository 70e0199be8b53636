import { esc, layout } from './layout';

/** The demo's error page: the status and a description safe to show, never a stack or the request. */
export function errorPage(status: number, description: string): string {
  return layout(
    'Error',
    `<section>
<h2>This request cannot be completed (${status})</h2>
<p class="error" role="alert">${esc(description)}</p>
<p><a href="/">Back to the playground</a></p>
</section>`,
    { narrow: true },
  );
}
