// `npm run build`: compiles lib/ to CommonJS in dist/, then gives every package entry an ES module face.
//
// One build, one module instance: each dist/<entry>.mjs only re-exports what dist/<entry>.js (CommonJS) exports,
// and each dist/<entry>.d.mts re-exports its .d.ts. An app that mixes `import` and `require` (or depends on two
// packages that do) therefore loads Keyturn once, so `instanceof OAuthError` and a server's identity hold across
// both; a separate ESM build would load a second copy of every class.
//
// The entries are read from package.json "exports", so adding a subpath there is all it takes.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = require('../package.json');

rmSync(join(root, 'dist'), { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** The `import` and `require` targets of one "exports" entry, as absolute paths. */
function targets(subpath, conditions) {
  const { import: esm, require: cjs } = conditions;
  if (!esm || !cjs) throw new Error(`package.json exports["${subpath}"] needs both an "import" and a "require" condition`);
  return {
    mjs: join(root, esm.default),
    dmts: join(root, esm.types),
    js: join(root, cjs.default),
    dts: join(root, cjs.types),
  };
}

const problems = [];
for (const [subpath, conditions] of Object.entries(pkg.exports)) {
  if (typeof conditions === 'string') continue; // ./package.json
  const t = targets(subpath, conditions);
  for (const file of [t.js, t.dts]) {
    if (!existsSync(file)) problems.push(`exports["${subpath}"]: ${relative(root, file)} was not built`);
  }
  if (!existsSync(t.js)) continue;

  const names = Object.keys(require(t.js)).filter((name) => name !== '__esModule' && name !== 'default');
  const from = `./${relative(dirname(t.mjs), t.js)}`;
  const banner = `// The ES module entry of ${pkg.name}${subpath.slice(1)}: the CommonJS module ${from}, re-exported, so that\n// importing and requiring the package share one instance. Written by scripts/build.mjs.\n`;
  const body = names.length > 0 ? `import cjs from '${from}';\n\nexport const {\n${names.map((n) => `  ${n},\n`).join('')}} = cjs;\n` : `import '${from}';\n`;
  writeFileSync(t.mjs, banner + body);
  writeFileSync(t.dmts, `export * from '${from}';\n`);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`build: ${p}`);
  process.exit(1);
}
