// `npm run test:tarball [-- path/to/keyturn.tgz]`: the package as a stranger installs it. Packs it (prepack
// builds), checks what the tarball holds, installs it with express and ioredis from the registry into a
// fresh app in a temporary directory outside the repo, and there:
// - runs an ES module smoke test and a CommonJS one (scripts/tarball-smoke/): every subpath loads, import and
//   require share one instance, and a client_credentials token is issued over real HTTP and accepted by
//   requireBearer({ server: auth });
// - compiles examples/client-credentials/, when the repo has it, and runs it with EXAMPLE_SELF_TEST=1;
// - type-checks an ES module and a CommonJS consumer against the installed types with skipLibCheck off;
// all on Express 5, then again on Express 4 (both majors are in the peer range).
// The Redis at REDIS_URL (default redis://127.0.0.1:6379) must be running.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..');
const smokeDir = join(__dirname, 'tarball-smoke');
const STEP_TIMEOUT_MS = 180_000;

interface Manifest {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, Record<string, string>>>;
  devDependencies: Record<string, string>;
}

function fail(message: string): never {
  throw new Error(message);
}

/** Runs a command, echoing it; fails with its output when it exits non-zero or outlives the step timeout. */
function run(command: string, args: readonly string[], options: SpawnSyncOptions & { cwd: string }): string {
  console.log(`test-tarball: ${relative(root, options.cwd) || '.'}$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}\n${output}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${output}`);
  return String(result.stdout ?? '');
}

/** Every file the "exports" map points to, as tarball paths (package/dist/...). */
function exportTargets(manifest: Manifest): string[] {
  const files: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') files.push(join('package', value));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  return files;
}

/** What a published tarball may hold: the build, its types and maps, the README, a licence, the manifest. */
function checkContents(tarball: string, manifest: Manifest): void {
  const listing = run('tar', ['-tzf', tarball], { cwd: root }).split('\n').filter(Boolean);
  const allowed = /^package\/(package\.json|README\.md|LICEN[CS]E(\.md|\.txt)?|dist\/.+\.(js|mjs|d\.ts|d\.mts|js\.map))$/;
  const unexpected = listing.filter((file) => !allowed.test(file));
  if (unexpected.length > 0) fail(`the tarball holds files it should not:\n  ${unexpected.join('\n  ')}`);
  const missing = exportTargets(manifest).filter((file) => !listing.includes(file));
  if (missing.length > 0) fail(`the tarball lacks files that "exports" points to:\n  ${missing.join('\n  ')}`);
  console.log(`test-tarball: ${listing.length} files in the tarball, all under dist/ but the manifest and README`);
}

function packTarball(into: string): string {
  run('npm', ['pack', '--pack-destination', into, '--loglevel=warn'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarballs = readdirSync(into).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== 1) fail(`npm pack left ${tarballs.length} tarballs in ${into}`);
  return join(into, tarballs[0]!);
}

/** Runs the two smoke tests in the app; each prints its own `ok` line. */
function runSmokes(app: string, expressVersion: string): void {
  for (const smoke of ['smoke.mjs', 'smoke.cjs']) {
    const out = run(process.execPath, [smoke], { cwd: app });
    process.stdout.write(out.replace(/: ok$/m, `: ok on Express ${expressVersion}`));
  }
}

/** Type-checks consumer.mts and consumer.cts against the types installed in the app. */
function typeCheckConsumers(app: string, against: string): void {
  run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });
  console.log(`test-tarball: the ES module and CommonJS consumers type-check (${against} types, skipLibCheck off)`);
}

function installedVersion(app: string, name: string): string {
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

const EXAMPLE = 'client-credentials';

/**
 * Compiles examples/client-credentials/ in the fresh app, where 'keyturn' is the installed tarball; returns
 * the compiled entry, or undefined when the repo has no such example.
 */
function compileExample(app: string): string | undefined {
  const source = join(root, 'examples', EXAMPLE);
  if (!existsSync(source)) {
    console.log(`test-tarball: examples/${EXAMPLE}/ does not exist; no example to compile`);
    return undefined;
  }
  const target = join(app, 'examples', EXAMPLE);
  cpSync(source, target, { recursive: true });
  const tsconfig = {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['ES2022'],
      types: ['node'],
      strict: true,
      skipLibCheck: false,
      outDir: 'build',
      rootDir: '.',
    },
    include: ['**/*.ts'],
    exclude: ['build'],
  };
  writeFileSync(join(target, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', target], { cwd: app });
  console.log(`test-tarball: examples/${EXAMPLE} compiles against the tarball`);
  return join(target, 'build', 'main.js');
}

/** Runs the compiled example in self-test mode: it must print `example client-credentials: ok` and exit 0. */
function runExample(app: string, main: string | undefined, expressVersion: string): void {
  if (main === undefined) return;
  const out = run(process.execPath, [main], { cwd: app, env: { ...process.env, EXAMPLE_SELF_TEST: '1' } });
  if (!out.includes(`example ${EXAMPLE}: ok`)) fail(`examples/${EXAMPLE} exited 0 without printing "example ${EXAMPLE}: ok":\n${out}`);
  console.log(`test-tarball: examples/${EXAMPLE} passed its self-test on Express ${expressVersion}`);
}

function main(): void {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const work = mkdtempSync(join(tmpdir(), 'keyturn-tarball-'));
  if (`${work}${sep}`.startsWith(`${root}${sep}`)) fail(`the temporary directory ${work} is inside the repo`);
  let passed = false;
  try {
    const given = process.argv[2];
    const tarball = given ? resolve(given) : packTarball(work);
    checkContents(tarball, manifest);

    const app = join(work, 'app');
    cpSync(smokeDir, app, { recursive: true });
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'keyturn-tarball-app', version: '0.0.0', private: true }, null, 2)}\n`);
    const nodeMajor = process.versions.node.split('.')[0]!;
    const npmInstall = ['install', '--no-audit', '--no-fund', '--loglevel=warn'];
    // @types/redis-errors: ioredis 6.1's own declarations import redis-errors, whose types ioredis lists only as
    // a devDependency, so an app that type-checks its dependencies (skipLibCheck off, as this one does) needs it.
    run(
      'npm',
      [...npmInstall, tarball, 'express', 'ioredis', '@types/redis-errors', `typescript@${manifest.devDependencies.typescript}`, '@types/express', `@types/node@${nodeMajor}`],
      { cwd: app },
    );
    const nested = join(app, 'node_modules', 'keyturn', 'node_modules');
    if (existsSync(nested)) console.log(`test-tarball: note: keyturn has its own node_modules (${readdirSync(nested).join(', ')})`);

    const example = compileExample(app);
    runSmokes(app, installedVersion(app, 'express'));
    runExample(app, example, installedVersion(app, 'express'));
    typeCheckConsumers(app, 'Express 5');

    run('npm', [...npmInstall, 'express@4', '@types/express@4'], { cwd: app });
    runSmokes(app, installedVersion(app, 'express'));
    runExample(app, example, installedVersion(app, 'express'));
    typeCheckConsumers(app, 'Express 4');
    passed = true;
  } finally {
    if (passed) rmSync(work, { recursive: true, force: true });
    else console.error(`test-tarball: failed; the app is left in ${work}`);
  }
  console.log('test-tarball: ok');
}

try {
  main();
} catch (error) {
  console.error(`test-tarball: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
