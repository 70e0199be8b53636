const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attributes: every value the demo prints goes through it. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** JSON safe inside a <script type="application/json"> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const STYLE = `
:root{--fg:#1d2430;--muted:#5b6473;--line:#dfe3ea;--bg:#f6f7f9;--accent:#2f5bd3;--ok:#1b7f4c;--bad:#b3261e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:.8rem 1.5rem;display:flex;align-items:center;gap:1rem}
header h1{font-size:1.05rem;margin:0;flex:1}
header form{margin:0}
main{max-width:68rem;margin:1.5rem auto;padding:0 1.5rem}
main.narrow{max-width:26rem}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin-bottom:1.25rem}
h2{font-size:1.05rem;margin:.2rem 0 .6rem}
p.hint{color:var(--muted);margin:.2rem 0 .8rem}
label{display:block;font-size:.85rem;color:var(--muted);margin:.5rem 0 .15rem}
input[type=text],input[type=password],input:not([type]){width:100%;padding:.45rem .55rem;border:1px solid var(--line);border-radius:5px;font:inherit}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:0 1rem}
.buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.8rem}
button{font:inherit;padding:.45rem .9rem;border-radius:5px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
button.link{border:none;background:none;color:var(--accent);padding:0}
.exchange{margin-top:.9rem;display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.exchange:empty{display:none}
.exchange h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 .25rem}
pre{margin:0;background:#f3f4f7;border:1px solid var(--line);border-radius:5px;padding:.6rem;font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all;max-height:22rem;overflow:auto}
.status-ok{color:var(--ok);font-weight:600}.status-bad{color:var(--bad);font-weight:600}
ul.scopes{padding-left:1.2rem}
.error{color:var(--bad)}
code{background:#f0f1f4;padding:.05rem .3rem;border-radius:3px}
@media (max-width:50rem){.exchange{grid-template-columns:1fr}}
`;

/** The page frame every demo page shares. */
export function layout(title: string, body: string, options: { user?: string; narrow?: boolean; scripts?: string } = {}): string {
  const account =
    options.user === undefined
      ? '<a href="/login">Sign in</a>'
      : `<span>Signed in as <strong>${esc(options.user)}</strong></span><form method="post" action="/logout"><button class="link" type="submit">Sign out</button></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Keyturn demo</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1><a href="/" style="color:inherit;text-decoration:none">Keyturn demo</a> · ${esc(title)}</h1>${account}</header>
<main${options.narrow ? ' class="narrow"' : ''}>
${body}
</main>
${options.scripts ?? ''}
</body>
</html>
`;
}
