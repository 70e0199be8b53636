// The public API by role (issue: the redesign): each subpath exports what a user calls or implements, once,
// every export carries TSDoc with an @example, and importing the main entry loads no optional dependency.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const ENTRIES = ['index', 'resource-server', 'redis', 'errors', 'testing'] as const;

function program(): { checker: ts.TypeChecker; files: Record<(typeof ENTRIES)[number], ts.SourceFile> } {
  const names = ENTRIES.map((e) => path.join(ROOT, 'lib', `${e}.ts`));
  const prog = ts.createProgram(names, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true, skipLibCheck: true, types: ['node'] });
  const files = Object.fromEntries(ENTRIES.map((e, i) => [e, prog.getSourceFile(names[i] as string) as ts.SourceFile])) as Record<(typeof ENTRIES)[number], ts.SourceFile>;
  return { checker: prog.getTypeChecker(), files };
}

const { checker, files } = program();

function exportsOf(entry: (typeof ENTRIES)[number]): ts.Symbol[] {
  const moduleSymbol = checker.getSymbolAtLocation(files[entry]) as ts.Symbol;
  return checker.getExportsOfModule(moduleSymbol);
}

function resolved(symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

describe('the public API by role', () => {
  it('exports these runtime values from each subpath, and nothing else', () => {
    const script = `const out = {};
      for (const entry of ${JSON.stringify(ENTRIES)}) out[entry] = Object.keys(require(${JSON.stringify(path.join(ROOT, 'lib'))} + '/' + entry + '.ts')).sort();
      process.stdout.write(JSON.stringify(out));`;
    const values = JSON.parse(execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: ROOT, encoding: 'utf8' }));
    expect(values).toEqual({
      index: ['createAuthorizationServer', 'deriveKey', 'gracefulShutdown', 'hashClientSecret', 'memoryStore', 'sealClientSecret', 'serviceHours'],
      'resource-server': ['bearerErrorHandler', 'bearerStrategy', 'createBearerCheck', 'requireBearer'],
      redis: ['redisStore'],
      errors: [
        'AccessDeniedError', 'BearerTokenMissingError', 'ConsentRequiredError', 'InsufficientScopeError', 'InteractionRequiredError',
        'InvalidBearerRequestError', 'InvalidClientError', 'InvalidDpopProofError', 'InvalidGrantError', 'InvalidRequestError', 'InvalidScopeError', 'InvalidTargetError',
        'InvalidTokenError', 'LoginRequiredError', 'MethodNotAllowedError', 'OAuthError',
        'RequestTooLargeError', 'ServerError', 'StoreUnavailableError', 'TemporarilyUnavailableError', 'TooManyRequestsError',
        'UnauthorizedClientError', 'UnsupportedGrantTypeError', 'UnsupportedResponseTypeError', 'UseDpopNonceError', 'isOAuthError', 'isStoreUnavailable',
        'renderOAuthError',
      ],
      testing: ['storeContract'],
    });
  });

  it('gives one name to each thing: no symbol is exported under two names or from two subpaths', () => {
    const seen = new Map<ts.Symbol, string>();
    const twice: string[] = [];
    for (const entry of ENTRIES) {
      for (const symbol of exportsOf(entry)) {
        const target = resolved(symbol);
        const where = `${entry}:${symbol.name}`;
        const earlier = seen.get(target);
        if (earlier !== undefined) twice.push(`${earlier} = ${where}`);
        else seen.set(target, where);
      }
    }
    expect(twice).toEqual([]);
  });

  it('documents every export with TSDoc that has an @example', () => {
    const undocumented: string[] = [];
    for (const entry of ENTRIES) {
      for (const symbol of exportsOf(entry)) {
        const target = resolved(symbol);
        const docs = ts.displayPartsToString(target.getDocumentationComment(checker));
        const hasExample = target.getJsDocTags(checker).some((tag) => tag.name === 'example');
        if (docs.trim() === '' || !hasExample) undocumented.push(`${entry}:${symbol.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('loads neither ioredis nor prom-client when the main entry is imported', () => {
    const script = `require(${JSON.stringify(path.join(ROOT, 'lib/index.ts'))});
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](ioredis|prom-client)[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
