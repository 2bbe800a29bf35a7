/**
 * The documentation ships with the types: every workspace package is packed with `npm pack` and
 * unpacked outside the repository, and each entry its package.json exports (read from the manifest,
 * so a new subpath is checked without touching this test) is read from its shipped `.d.mts` with
 * the TypeScript compiler, as an editor reads it for a user's hover. Rules:
 * - every exported symbol has a non-empty documentation comment;
 * - every property of an exported options type (a name ending in `Options`) has one, and each
 *   optional property says what happens when it is unset with `@default`;
 * - every entry point (`twilioWebhook`, `withTwilioSignature`, `twilioSignature`, `twilioWorker`)
 *   carries an `@example`.
 * Symbols tagged `@internal`, and entries whose declaration file opens with an `@internal` comment,
 * are exempt. A failure lists each symbol that breaks a rule, by package entry. The rules are
 * checked too, on small declaration files that break and keep each of them.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { installPackedPackages } from './support/packed-packages';
import { type Entry, isInternalEntry, publishedEntries, publishedPackages } from './support/published-entries';

const ENTRY_POINTS = new Set(['twilioWebhook', 'withTwilioSignature', 'twilioSignature', 'twilioWorker']);
const OPTIONS_TYPE = /Options$/;

const hasTag = (tags: readonly ts.JSDocTagInfo[], name: string) => tags.some((tag) => tag.name === name);

/** The text of a symbol's documentation comment, tags excluded. */
const documentation = (symbol: ts.Symbol, checker: ts.TypeChecker) =>
  ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();

/** Properties of an options type; a union's members are checked one by one. */
function optionProperties(type: ts.Type, checker: ts.TypeChecker): ts.Symbol[] {
  const members = type.isUnion() ? type.types : [type];
  return [...new Set(members.flatMap((member) => checker.getPropertiesOfType(member)))];
}

/** A property declared in a twiml-guard package (not one inherited from a platform SDK's types). */
const declaredByProject = (symbol: ts.Symbol) =>
  (symbol.declarations ?? []).some((declaration) =>
    /node_modules\/(@twiml-guard\/|create-twiml-guard\/)/.test(declaration.getSourceFile().fileName),
  );

interface Finding {
  entry: string;
  symbol: string;
  problem: string;
}

function checkEntry(entry: Entry, program: ts.Program, checker: ts.TypeChecker): Finding[] {
  const source = program.getSourceFile(entry.file);
  if (!source) return [{ entry: entry.specifier, symbol: '(entry)', problem: `declaration file ${entry.file} is missing` }];
  if (isInternalEntry(source)) return [];
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [{ entry: entry.specifier, symbol: '(entry)', problem: 'declaration file exports nothing' }];
  const findings: Finding[] = [];
  const report = (symbol: string, problem: string) => findings.push({ entry: entry.specifier, symbol, problem });
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.getName();
    const tags = symbol.getJsDocTags(checker);
    if (hasTag(tags, 'internal')) continue;
    if (documentation(symbol, checker) === '') report(name, 'has no documentation comment');
    if (ENTRY_POINTS.has(name) && !hasTag(tags, 'example')) report(name, 'is an entry point without an @example');
    if (OPTIONS_TYPE.test(name) && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      for (const property of optionProperties(checker.getDeclaredTypeOfSymbol(symbol), checker)) {
        if (!declaredByProject(property)) continue;
        const propertyTags = property.getJsDocTags(checker);
        if (hasTag(propertyTags, 'internal')) continue;
        if (documentation(property, checker) === '') report(`${name}.${property.getName()}`, 'has no documentation comment');
        else if (property.flags & ts.SymbolFlags.Optional && !hasTag(propertyTags, 'default'))
          report(`${name}.${property.getName()}`, 'is optional without a @default');
      }
    }
  }
  return findings;
}

/** Every rule broken in the given entries, read with one compiler program as an editor would. */
function findings(entries: readonly Entry[]): Finding[] {
  const program = ts.createProgram(
    entries.map((entry) => entry.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  return entries.flatMap((entry) => checkEntry(entry, program, checker));
}

const describeFindings = (found: readonly Finding[]) =>
  found.map((finding) => `${finding.entry}: ${finding.symbol} ${finding.problem}`).join('\n');

let consumer: string;
let entries: Entry[];

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'twiml-guard-tsdoc-'));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const packages = publishedPackages();
  installPackedPackages(
    consumer,
    packages.map(({ folder }) => folder),
  );
  entries = publishedEntries(join(consumer, 'node_modules'), packages);
}, 180_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

test('every published package entry is found in the packed packages', () => {
  const specifiers = entries.map((entry) => entry.specifier);
  expect(specifiers).toEqual(
    expect.arrayContaining([
      '@twiml-guard/core',
      '@twiml-guard/aws-lambda',
      '@twiml-guard/aws-lambda/rotation',
      '@twiml-guard/testing',
      'create-twiml-guard',
    ]),
  );
  for (const entry of entries) expect(existsSync(entry.file)).toBe(true);
});

test('every export, option and entry point of every package entry is documented', () => {
  expect(describeFindings(findings(entries))).toBe('');
});

describe('the rules, on declaration files written for them', () => {
  /** A package entry holding `text`, placed where the packed packages are so it counts as the project's. */
  function fixtureEntry(name: string, text: string): Entry {
    const folder = join(consumer, 'node_modules/@twiml-guard', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.d.mts'), text);
    return { specifier: `@twiml-guard/${name}`, file: join(folder, 'index.d.mts') };
  }

  test('an undocumented export, an undocumented option, an option without @default and an entry point without @example are each named', () => {
    const entry = fixtureEntry(
      'tsdoc-fixture-bad',
      [
        'export declare function helper(): void;',
        '/** Options. */',
        'export interface GuardOptions {',
        '  /** Documented, but no default given. */',
        '  readonly retries?: number;',
        '  readonly name: string;',
        '}',
        '/** Documented, without an example. */',
        'export declare function twilioWebhook(): void;',
      ].join('\n'),
    );
    expect(
      describeFindings(findings([entry]))
        .split('\n')
        .sort(),
    ).toEqual([
      '@twiml-guard/tsdoc-fixture-bad: GuardOptions.name has no documentation comment',
      '@twiml-guard/tsdoc-fixture-bad: GuardOptions.retries is optional without a @default',
      '@twiml-guard/tsdoc-fixture-bad: helper has no documentation comment',
      '@twiml-guard/tsdoc-fixture-bad: twilioWebhook is an entry point without an @example',
    ]);
  });

  test('documented exports and options pass, re-exports are read at their declaration, and @internal symbols and entries are exempt', () => {
    const documented = fixtureEntry(
      'tsdoc-fixture-good',
      [
        '/**',
        ' * Wraps a handler.',
        ' * @example',
        ' * twilioWebhook();',
        ' */',
        'export declare function twilioWebhook(): void;',
        '/** Options. */',
        'export interface GuardOptions {',
        '  /**',
        '   * How many times.',
        '   * @default 3',
        '   */',
        '  readonly retries?: number;',
        '  /** A name. */',
        '  readonly name: string;',
        '}',
        '/** @internal */',
        'export declare function plumbing(): void;',
      ].join('\n'),
    );
    const reexporting = fixtureEntry(
      'tsdoc-fixture-reexport',
      "export { twilioWebhook, type GuardOptions } from '@twiml-guard/tsdoc-fixture-good';\n",
    );
    writeFileSync(
      join(consumer, 'node_modules/@twiml-guard/tsdoc-fixture-good/package.json'),
      JSON.stringify({ name: '@twiml-guard/tsdoc-fixture-good', exports: { '.': { types: './index.d.mts' } } }),
    );
    const internal = fixtureEntry(
      'tsdoc-fixture-internal',
      [
        '/**',
        ' * Plumbing for adapters.',
        ' * @internal',
        ' */',
        'export declare function undocumentedPlumbing(): void;',
        'export declare const more: number;',
      ].join('\n'),
    );
    expect(describeFindings(findings([documented, reexporting, internal]))).toBe('');
  });
});
