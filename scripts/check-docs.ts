// `npm run check:docs`: type-checks every ```ts block of README.md and docs/**/*.md, so the documentation
// cannot drift from the API. Each block is compiled as its own module (strict, top-level await allowed)
// against the package's entries: 'keyturn' and its subpaths resolve to lib/ through `paths`, and the free
// names of scripts/doc-blocks/prelude.d.ts (app, auth, clients, store, redis, issuer, listAccounts) are
// declared for every block. A block in another language (```sh, ```json, ```http) is not compiled.
//
// A failure names the Markdown file and line: `README.md:31:7 error TS2304: ... (```ts block at line 28)`.
// All blocks go into one TypeScript program, so lib/ is type-checked once however many blocks there are.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..');
const prelude = join(__dirname, 'doc-blocks', 'prelude.d.ts');
const entries = ['index', 'resource-server', 'redis', 'errors', 'testing'] as const;

/** One ```ts block: where it sits in its Markdown file and the code it holds. */
export interface DocBlock {
  /** Path of the Markdown file, relative to the repo. */
  file: string;
  /** 1-based line of the opening fence. */
  fenceLine: number;
  /** 1-based line of the block's first line of code. */
  firstLine: number;
  /** Columns of indentation removed from each line (a block inside a list item is indented). */
  indent: number;
  code: string;
}

const TS_INFO = /^(ts|typescript)$/i;

/**
 * The ```ts (or ```typescript) blocks of one Markdown text, fenced with backticks or tildes as CommonMark
 * allows: a fence of three or more, closed by a fence of the same character at least as long.
 */
export function extractTsBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let open: { fence: string; indent: number; line: number; ts: boolean; body: string[] } | undefined;
  lines.forEach((line, index) => {
    if (open === undefined) {
      const opening = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (opening) {
        const [, indent = '', fence = '', info = ''] = opening;
        if (fence.startsWith('`') && line.slice(indent.length + fence.length).includes('`')) return; // inline code
        open = { fence, indent: indent.length, line: index + 1, ts: TS_INFO.test(info), body: [] };
      }
      return;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (closing && closing[1]![0] === open.fence[0] && closing[1]!.length >= open.fence.length) {
      if (open.ts) blocks.push({ file, fenceLine: open.line, firstLine: open.line + 1, indent: open.indent, code: open.body.join('\n') });
      open = undefined;
      return;
    }
    open.body.push(stripIndent(line, open.indent));
  });
  if (open?.ts) blocks.push({ file, fenceLine: open.line, firstLine: open.line + 1, indent: open.indent, code: open.body.join('\n') });
  return blocks;
}

/** Removes up to `indent` leading spaces, as CommonMark does for the lines of an indented fenced block. */
function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i += 1;
  return line.slice(i);
}

/** README.md and every .md file under docs/ (docs/api/ is TypeDoc's output and holds none). */
function markdownFiles(): string[] {
  const files = existsSync(join(root, 'README.md')) ? [join(root, 'README.md')] : [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk(join(root, 'docs'));
  return files.sort();
}

const compilerOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  types: ['node'],
  noEmit: true,
  baseUrl: root,
  paths: {
    keyturn: ['lib/index.ts'],
    ...Object.fromEntries(entries.filter((e) => e !== 'index').map((e) => [`keyturn/${e}`, [`lib/${e}.ts`]])),
  },
};

/** Where a block lives in the program: a file that does not exist on disk, named after its Markdown source. */
function virtualPath(block: DocBlock): string {
  return join(root, '.doc-blocks', `${block.file.replace(/[\\/]/g, '__')}.L${block.fenceLine}.ts`);
}

function main(): number {
  const blocks = markdownFiles().flatMap((path) => extractTsBlocks(relative(root, path), readFileSync(path, 'utf8')));
  const byPath = new Map(blocks.map((block) => [virtualPath(block), block]));

  const host = ts.createCompilerHost(compilerOptions, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => byPath.has(name) || fileExists.call(host, name);
  host.readFile = (name) => byPath.get(name)?.code ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const block = byPath.get(name);
    if (block) return ts.createSourceFile(name, block.code, languageVersion, true, ts.ScriptKind.TS);
    return getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };

  const program = ts.createProgram({ rootNames: [prelude, ...byPath.keys()], options: compilerOptions, host });
  const problems: string[] = [];
  const failing = new Set<DocBlock>();
  const describe = (diagnostic: ts.Diagnostic): string => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');

  for (const diagnostic of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
    problems.push(`error TS${diagnostic.code}: ${describe(diagnostic)}`);
  }
  const preludeFile = program.getSourceFile(prelude);
  for (const diagnostic of preludeFile ? ts.getPreEmitDiagnostics(program, preludeFile) : []) {
    const at = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    problems.push(`${relative(root, prelude)}:${at ? `${at.line + 1}:${at.character + 1}` : '1'} error TS${diagnostic.code}: ${describe(diagnostic)}`);
  }
  for (const [path, block] of byPath) {
    const sourceFile = program.getSourceFile(path);
    if (!sourceFile) continue;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const diagnostic of diagnostics.sort((a, b) => (a.start ?? 0) - (b.start ?? 0))) {
      const at = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const where = `${block.file}:${block.firstLine + at.line}:${block.indent + at.character + 1}`;
      problems.push(`${where} error TS${diagnostic.code}: ${describe(diagnostic)} (\`\`\`ts block at line ${block.fenceLine})`);
      failing.add(block);
    }
  }

  const files = new Set(blocks.map((block) => block.file)).size;
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`check:docs: ${failing.size} of ${blocks.length} \`\`\`ts blocks in ${files} Markdown files do not compile`);
    return 1;
  }
  console.log(`check:docs: all ${blocks.length} \`\`\`ts blocks in ${files} Markdown files compile`);
  return 0;
}

if (require.main === module) process.exit(main());
