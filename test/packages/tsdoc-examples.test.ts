/**
 * The `@example` code users see in their editor compiles. The examples are read from the built
 * declarations (`packages/<name>/dist/*.d.mts`, as `npm run build` writes them), by the entries each
 * published package's `exports` lists (subpaths such as `/rotation` included; an entry whose declaration
 * file opens with an `@internal` comment, like `@twiml-guard/core/adapter`, is not for users and is
 * skipped): every exported symbol, and every member of an exported class, interface or type, that has
 * an `@example` tag. Rules:
 * - each `@example` holds its code in fenced blocks marked ```ts (an `@example` without one, or with a
 *   block in another language, is named);
 * - each block is compiled as its own ES module (`example.mts`, so top-level `await` is allowed) by one
 *   TypeScript program for all blocks, with the options of a strict user project: `strict`, `module`
 *   and `moduleResolution` `NodeNext`, ES2022 with `@types/node`. `@twiml-guard/*` and
 *   `create-twiml-guard` imports resolve, through the workspace links in `node_modules`, to the built
 *   packages; the platforms' own packages (`@azure/functions`, `aws-lambda` types, `twilio`, ...) to
 *   the versions the repository installs;
 * - a block imports every name it uses from a package. The only names it may use without an import are
 *   those of the PRELUDE below, the user's own things an example calls but does not define:
 *   `handleSms` (the user's webhook handler), `myStore` (the user's rotation secret store),
 *   `myRedisStore` (a shared dedupe store) and `vault` (the user's own secret vault client).
 * A failure names the package entry, the export and the compiler's diagnostic, with the line of the
 * block; fix the example in the TSDoc of `src/`, then `npm run build` (the test reads dist/; `npm test`
 * builds first). The rules are checked too, on a small declaration file whose examples break and keep them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './support/packed-packages';
import { type Entry, isInternalEntry, publishedEntries, publishedPackages } from './support/published-entries';

/** Where the blocks are placed for module resolution; they exist only in memory, nothing is written. */
const EXAMPLES_DIR = join(ROOT, '.tsdoc-examples');
const PRELUDE_FILE = join(EXAMPLES_DIR, 'prelude.d.ts');

/** The user's own things an example may use without defining them (a global script, loaded beside every block). */
const PRELUDE = `
/** The user's webhook handler: reads the verified event, answers TwiML. */
declare function handleSms(event: import('@twiml-guard/core', { with: { 'resolution-mode': 'import' } }).TwilioWebhookEvent): string;
/** The user's own store for a rotation (a secret in their vault). */
declare const myStore: import('@twiml-guard/core/rotation', { with: { 'resolution-mode': 'import' } }).RotationSecretStore;
/** A dedupe store shared by every instance, implemented by the user (Redis, DynamoDB, ...). */
declare const myRedisStore: import('@twiml-guard/core', { with: { 'resolution-mode': 'import' } }).DedupeStore;
/** The user's own secret vault client. */
declare const vault: { read(path: string): Promise<string> };
`;

/** A strict user project's options (ES modules; Node's globals from @types/node). */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules/@types')],
  skipLibCheck: true,
  noEmit: true,
};

const TS_FENCE = new Set(['ts', 'typescript']);
/** A fenced block: its info string and its code. */
const FENCE = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;

interface Example {
  /** The package entry whose exports lead to it, e.g. `@twiml-guard/aws-lambda/rotation`. */
  entry: string;
  /** The export (or `Export.member`) the `@example` documents. */
  owner: string;
  /** The declaration file the tag is in, relative to the repository. */
  declarationFile: string;
  /** The block's number in its `@example` (1-based). */
  block: number;
  code: string;
}

interface Finding {
  entry: string;
  owner: string;
  problem: string;
}

const describeFindings = (found: readonly Finding[]) =>
  found.map((finding) => `${finding.entry}: ${finding.owner} ${finding.problem}`).join('\n');

/** The text of every `@example` tag on a symbol's declarations in `folder` (once per tag: re-exports share it). */
function exampleTags(symbol: ts.Symbol, seen: Set<string>, folder: string): { text: string; file: string }[] {
  return (symbol.declarations ?? [])
    .filter((declaration) => declaration.getSourceFile().fileName.startsWith(folder))
    .flatMap((declaration) =>
      ts
        .getJSDocTags(declaration)
        .filter((tag) => tag.tagName.text === 'example')
        .flatMap((tag) => {
          const file = tag.getSourceFile().fileName;
          const key = `${file}:${tag.pos}`;
          if (seen.has(key)) return [];
          seen.add(key);
          return [{ text: ts.getTextOfJSDocComment(tag.comment) ?? '', file }];
        }),
    );
}

/** The package folder a declaration file is in (`packages/core/` for `packages/core/dist/…`). */
function packageFolder(file: string): string {
  const dist = file.lastIndexOf('/dist/');
  return dist === -1 ? dirname(file) : file.slice(0, dist + 1);
}

/** An exported symbol and the members of the class, interface or type it names, with their names. */
function documentedSymbols(name: string, symbol: ts.Symbol, checker: ts.TypeChecker): { owner: string; symbol: ts.Symbol }[] {
  const members: ts.Symbol[] = [];
  if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
    members.push(...checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)));
  if (symbol.flags & ts.SymbolFlags.Class)
    members.push(...checker.getPropertiesOfType(checker.getTypeOfSymbol(symbol)).filter((member) => member.getName() !== 'prototype'));
  return [{ owner: name, symbol }, ...[...new Set(members)].map((member) => ({ owner: `${name}.${member.getName()}`, symbol: member }))];
}

/** Every `@example` of the entries' public API, split into its ```ts blocks; an `@example` that holds none is a finding. */
function collectExamples(entries: readonly Entry[], program: ts.Program): { examples: Example[]; findings: Finding[] } {
  const checker = program.getTypeChecker();
  const seen = new Set<string>();
  const examples: Example[] = [];
  const findings: Finding[] = [];
  // An example is named by the entry of the package that declares it (core's classes, not an adapter's re-export of them).
  for (const ownPackageOnly of [true, false]) {
    for (const entry of entries) {
      const source = program.getSourceFile(entry.file);
      if (!source) {
        if (ownPackageOnly)
          findings.push({ entry: entry.specifier, owner: '(entry)', problem: `declaration file ${entry.file} is missing` });
        continue;
      }
      if (isInternalEntry(source)) continue;
      const moduleSymbol = checker.getSymbolAtLocation(source);
      if (!moduleSymbol) continue;
      const ownFolder = packageFolder(entry.file);
      for (const exported of checker.getExportsOfModule(moduleSymbol)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        for (const { owner, symbol: documented } of documentedSymbols(exported.getName(), symbol, checker)) {
          for (const tag of exampleTags(documented, seen, ownPackageOnly ? ownFolder : '')) {
            const report = (problem: string) => findings.push({ entry: entry.specifier, owner, problem });
            const blocks = [...tag.text.matchAll(FENCE)].map((match) => ({ language: (match[1] ?? '').trim(), code: match[2] ?? '' }));
            if (!blocks.some((block) => TS_FENCE.has(block.language))) report('has an @example without a ```ts block');
            for (const block of blocks.filter((fenced) => !TS_FENCE.has(fenced.language)))
              report(`has an @example with a \`\`\`${block.language || '(no language)'} block; examples are \`\`\`ts`);
            blocks
              .filter((block) => TS_FENCE.has(block.language))
              .forEach((block, index) =>
                examples.push({
                  entry: entry.specifier,
                  owner,
                  declarationFile: relative(ROOT, tag.file),
                  block: index + 1,
                  code: block.code,
                }),
              );
          }
        }
      }
    }
  }
  return { examples, findings };
}

/** A compiler host that serves the in-memory files (the prelude and the blocks) and reads the rest from disk. */
function hostWith(files: ReadonlyMap<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  return {
    ...host,
    fileExists: (fileName) => files.has(fileName) || host.fileExists(fileName),
    readFile: (fileName) => files.get(fileName) ?? host.readFile(fileName),
    getSourceFile: (fileName, languageVersion, onError, shouldCreateNewSourceFile) => {
      const text = files.get(fileName);
      return text === undefined
        ? host.getSourceFile(fileName, languageVersion, onError, shouldCreateNewSourceFile)
        : ts.createSourceFile(fileName, text, languageVersion, true);
    },
  };
}

const exampleFile = (index: number) => join(EXAMPLES_DIR, `example-${String(index).padStart(3, '0')}.mts`);

/** One diagnostic, as `line N: TS1234 message` with the block's line. */
function describeDiagnostic(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code} ${message}`;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const text = diagnostic.file.text.split('\n')[line]?.trim() ?? '';
  return `line ${line + 1}: TS${diagnostic.code} ${message} (in: ${text})`;
}

/**
 * Reads the entries' examples and compiles every block, one program for all of them. Returns what
 * was checked and every finding: an `@example` without ```ts code, and each diagnostic of a block.
 */
function checkExamples(
  entries: readonly Entry[],
  extraFiles: ReadonlyMap<string, string> = new Map(),
): { examples: Example[]; findings: Finding[] } {
  const base = new Map([[PRELUDE_FILE, PRELUDE], ...extraFiles]);
  const declarations = ts.createProgram(
    entries.map((entry) => entry.file),
    COMPILER_OPTIONS,
    hostWith(base),
  );
  const { examples, findings } = collectExamples(entries, declarations);
  const files = new Map([...base, ...examples.map((example, index) => [exampleFile(index), example.code] as const)]);
  const program = ts.createProgram(
    [...entries.map((entry) => entry.file), ...files.keys()],
    COMPILER_OPTIONS,
    hostWith(files),
    declarations,
  );
  const setup = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  const prelude = program.getSourceFile(PRELUDE_FILE);
  if (prelude) setup.push(...program.getSyntacticDiagnostics(prelude), ...program.getSemanticDiagnostics(prelude));
  for (const diagnostic of setup)
    findings.push({ entry: '(setup)', owner: '(prelude or options)', problem: describeDiagnostic(diagnostic) });
  examples.forEach((example, index) => {
    const source = program.getSourceFile(exampleFile(index));
    if (!source) throw new Error(`example ${index} was not compiled`);
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)])
      findings.push({
        entry: example.entry,
        owner: example.owner,
        problem: `@example block ${example.block} (${example.declarationFile}) does not compile, ${describeDiagnostic(diagnostic)}`,
      });
  });
  return { examples, findings };
}

/** The published entries, as the built packages declare them (built first if a checkout has no dist/). */
function builtEntries(): Entry[] {
  const packages = publishedPackages();
  const unbuilt = packages.filter(({ folder }) => !existsSync(join(ROOT, 'packages', folder, 'dist/index.d.mts')));
  if (unbuilt.length > 0)
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), ...unbuilt.map(({ folder }) => folder)], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  // The real paths, as the compiler resolves the blocks' imports through the workspace links: one copy of each file.
  return publishedEntries(join(ROOT, 'node_modules'), packages).map((entry) => ({ ...entry, file: realpathSync(entry.file) }));
}

test('every @example of every published entry compiles as a strict ES module against the built packages', () => {
  const { examples, findings } = checkExamples(builtEntries());
  expect(describeFindings(findings)).toBe('');
  // The examples were found: each adapter's entry points are among them, and so is a subpath's.
  const checked = new Set(examples.map((example) => `${example.entry}: ${example.owner}`));
  expect([...checked]).toEqual(
    expect.arrayContaining([
      '@twiml-guard/aws-lambda: twilioWebhook',
      '@twiml-guard/aws-lambda: withTwilioSignature',
      '@twiml-guard/aws-lambda: twilioSignature',
      '@twiml-guard/azure-functions: twilioWebhook',
      '@twiml-guard/gcp-functions: twilioWebhook',
      '@twiml-guard/twilio-functions: twilioWebhook',
      '@twiml-guard/fetch: twilioWorker',
      '@twiml-guard/aws-lambda/rotation: secretsManagerRotation',
    ]),
  );
  expect(examples.some((example) => example.entry === '@twiml-guard/core/adapter')).toBe(false);
});

test('the rule, on a declaration file whose examples break and keep it', () => {
  const fixture = join(EXAMPLES_DIR, 'fixture/index.d.mts');
  const lines = (...text: string[]) => text.join('\n');
  const declarations = lines(
    '/**',
    ' * Calls a function core does not export.',
    ' * @example',
    ' * ```ts',
    " * import { getExpectedSignature } from '@twiml-guard/core';",
    ' * ```',
    ' */',
    'export declare function wrongName(): void;',
    '/**',
    ' * Uses a name it neither imports nor finds in the prelude.',
    ' * @example',
    ' * ```ts',
    " * const signature = getExpectedTwilioSignature('token', 'https://example.com/sms', {});",
    ' * ```',
    ' */',
    'export declare function missingImport(): void;',
    '/** Options. */',
    'export interface FixtureOptions {',
    '  /**',
    '   * A type error under strict.',
    '   * @example',
    '   * ```ts',
    "   * import { getExpectedTwilioSignature } from '@twiml-guard/core';",
    "   * const signature: number = getExpectedTwilioSignature('token', 'https://example.com/sms', {});",
    '   * ```',
    '   */',
    '  readonly retries?: number;',
    '}',
    '/**',
    ' * Code outside a fence, and a block in another language.',
    ' * @example',
    ' * unfenced();',
    ' */',
    'export declare function unfenced(): void;',
    '/**',
    ' * @example',
    ' * ```js',
    ' * module.exports = 1;',
    ' * ```',
    ' */',
    'export declare function javascript(): void;',
    '/**',
    " * A self-contained example, one using the prelude's `handleSms`, and top-level await.",
    ' * @example',
    ' * ```ts',
    " * import { twilioWebhook } from '@twiml-guard/fetch';",
    ' * export const POST = twilioWebhook(handleSms);',
    ' * ```',
    ' * ```ts',
    " * import { rotateTwilioAuthToken, officialTwilioAuthTokens } from '@twiml-guard/core/rotation';",
    ' * const outcome = await rotateTwilioAuthToken({ store: myStore, twilio: officialTwilioAuthTokens() });',
    ' * console.log(outcome);',
    ' * ```',
    ' */',
    'export declare function good(): void;',
  );
  const { examples, findings } = checkExamples([{ specifier: '@twiml-guard/fixture', file: fixture }], new Map([[fixture, declarations]]));
  expect(examples.map((example) => `${example.owner} ${example.block}`).sort()).toEqual([
    'FixtureOptions.retries 1',
    'good 1',
    'good 2',
    'missingImport 1',
    'wrongName 1',
  ]);
  // Exactly these: the two good blocks (the prelude's names, top-level await) give nothing.
  const summary = findings.map((finding) => `${finding.owner}: ${finding.problem}`);
  expect(summary).toHaveLength(6);
  expect(summary).toEqual(
    expect.arrayContaining([
      'unfenced: has an @example without a ```ts block',
      'javascript: has an @example without a ```ts block',
      'javascript: has an @example with a ```js block; examples are ```ts',
      expect.stringMatching(/^wrongName: .*TS2724 '"@twiml-guard\/core"' has no exported member named 'getExpectedSignature'/),
      expect.stringMatching(/^missingImport: .*TS2304 Cannot find name 'getExpectedTwilioSignature'/),
      expect.stringMatching(/^FixtureOptions\.retries: .*TS2322 Type 'string' is not assignable to type 'number'/),
    ]),
  );
  expect(describeFindings(findings)).toMatch(
    /@twiml-guard\/fixture: wrongName @example block 1 \(\.tsdoc-examples\/fixture\/index\.d\.mts\) does not compile, line 1: TS2724/,
  );
});
