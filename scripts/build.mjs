// Builds the packages: esbuild for the CJS + ESM bundles, tsc for their declarations.
//   node scripts/build.mjs                 every package
//   node scripts/build.mjs core aws-lambda only those (each package's `prepack` builds itself this way)
// Every entry ships as dist/<entry>.cjs + dist/<entry>.d.cts and dist/<entry>.mjs + dist/<entry>.d.mts:
// each format has its own declarations, so TypeScript never takes ESM types for the CJS build (or back).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ALL_PACKAGES = [
  'core',
  'aws-lambda',
  'azure-functions',
  'gcp-functions',
  'twilio-functions',
  'fetch',
  'create-twiml-guard',
  'testing',
];
/** Packages that also ship a build for web-standard runtimes (dist/web.mjs, dist/web.cjs). */
const WEB_BUILD_PACKAGES = ['core', 'fetch'];

/**
 * The entries a package may have (those whose src/<name>.ts exists are built). `rotation` is a subpath
 * kept out of the main entry (it loads `twilio`); the CLI is run only through the CJS bin shim.
 */
const ENTRIES = [
  { name: 'index', formats: ['cjs', 'esm'], types: true },
  { name: 'rotation', formats: ['cjs', 'esm'], types: true },
  // core's `@twiml-guard/core/adapter` (plumbing for the adapters); it imports the main entry by name.
  { name: 'adapter', formats: ['cjs', 'esm'], types: true },
  { name: 'cli', formats: ['cjs'], types: false },
];
// `from './x.js'`, `import('./x.js')`, `import './x.js'`: the relative specifiers tsc keeps from the sources.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\.js\2/g;

/** @typedef {'cjs' | 'esm'} Format */
const FORMATS = /** @type {const} */ (['cjs', 'esm']);
/** @type {Record<Format, { js: string, dts: string }>} */
const EXTENSIONS = { cjs: { js: '.cjs', dts: '.d.cts' }, esm: { js: '.mjs', dts: '.d.mts' } };

const requested = process.argv.slice(2).map((name) => name.replace(/^@twiml-guard\//, ''));
const unknown = requested.filter((name) => !ALL_PACKAGES.includes(name));
if (unknown.length > 0) {
  console.error(`build: unknown package(s) ${unknown.join(', ')}; known: ${ALL_PACKAGES.join(', ')}`);
  process.exit(2);
}
// @twiml-guard/testing bundles create-twiml-guard (`twiml-guard new`): building it builds that first.
/** @type {Record<string, string[]>} */
const BUNDLED_WORKSPACES = { testing: ['create-twiml-guard'] };
const packages = requested.length > 0 ? withBundledWorkspaces(requested) : ALL_PACKAGES;

for (const name of packages) await bundlePackage(name);
emitDeclarations(packages);
// create-twiml-guard and @twiml-guard/testing (`twiml-guard new`) ship the templates.
const templateShippers = packages.filter((name) => name === 'create-twiml-guard' || name === 'testing');
if (templateShippers.length > 0) {
  const { copyTemplates } = await import('../packages/create-twiml-guard/copy-templates.mjs');
  for (const name of templateShippers) copyTemplates(join(root, 'packages', name, 'templates'));
}
// stderr: `npm pack --json` (whose prepack runs this) keeps a clean stdout.
console.error(`built ${packages.length} package${packages.length === 1 ? '' : 's'}: ${packages.join(', ')}`);

/** @param {string} name */
async function bundlePackage(name) {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // Dependencies and peers stay imports: users bring their own SDKs and the Lambda runtime ships @aws-sdk/*.
  const external = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    // A subpath that imports its own package by name (core/adapter) shares the main entry instead of copying it.
    pkg.name,
  ];
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  if (WEB_BUILD_PACKAGES.includes(name)) await buildWeb(dir, external);
  for (const format of FORMATS) {
    const entryPoints = packageEntries(name)
      .filter((entry) => entry.formats.includes(format))
      .map((entry) => ({ in: join(dir, `src/${entry.name}.ts`), out: entry.name }));
    await build({
      entryPoints,
      outdir: join(dir, 'dist'),
      outExtension: { '.js': EXTENSIONS[format].js },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      external,
      // An ES module has no __dirname; Node (>=20.11) gives it import.meta.dirname (create-twiml-guard finds its templates with it).
      ...(format === 'esm' ? { define: { __dirname: 'import.meta.dirname' } } : {}),
      sourcemap: false,
      logLevel: 'warning',
    });
  }
}

/** @param {string} name */
function packageEntries(name) {
  return ENTRIES.filter((entry) => existsSync(join(root, 'packages', name, `src/${entry.name}.ts`)));
}

/**
 * One tsc pass for the requested packages; each entry's reachable .d.ts files are copied as .d.cts and .d.mts.
 * @param {string[]} names
 */
function emitDeclarations(names) {
  const cache = join(root, 'node_modules/.cache', `twiml-guard-dts-${process.pid}`);
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const tsconfig = join(cache, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(cache, 'out'), rootDir: join(root, 'packages') },
      include: names.map((name) => join(root, 'packages', name, 'src/**/*.ts')),
    }),
  );
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
    for (const name of names) {
      const from = join(cache, 'out', name, 'src');
      const to = join(root, 'packages', name, 'dist');
      const typed = packageEntries(name).filter((entry) => entry.types);
      for (const file of reachableDeclarations(
        from,
        typed.map((entry) => `${entry.name}.d.ts`),
      )) {
        const text = readFileSync(join(from, file), 'utf8');
        for (const format of FORMATS) {
          const target = join(to, file.replace(/\.d\.ts$/, EXTENSIONS[format].dts));
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, rewriteSpecifiers(text, EXTENSIONS[format].js));
        }
      }
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * @param {string} text
 * @param {string} extension
 */
function rewriteSpecifiers(text, extension) {
  return text.replace(
    SPECIFIER,
    (/** @type {string} */ _match, /** @type {string} */ lead, /** @type {string} */ quote, /** @type {string} */ path) =>
      `${lead}${quote}${path}${extension}${quote}`,
  );
}

/**
 * The declaration files an entry's types can reach: the rest (the CLI's, internal helpers') is not shipped.
 * @param {string} base
 * @param {string[]} entries
 */
function reachableDeclarations(base, entries) {
  /** @type {Set<string>} */
  const seen = new Set();
  const pending = [...entries];
  let file;
  while ((file = pending.pop()) !== undefined) {
    if (seen.has(file)) continue;
    if (!existsSync(join(base, file))) throw new Error(`build: ${relative(root, join(base, file))} was not emitted`);
    seen.add(file);
    for (const match of readFileSync(join(base, file), 'utf8').matchAll(SPECIFIER)) {
      pending.push(relative(base, join(base, dirname(file), `${match[3]}.d.ts`)));
    }
  }
  return [...seen].sort();
}

/**
 * The web build (export conditions workerd, worker, edge-light, browser, deno, bun, default): the
 * core's crypto module resolves to crypto/web.ts (WebCrypto) instead of crypto/node.ts. Platform
 * `neutral`: any node: import left in the graph fails the build.
 * @param {string} dir
 * @param {string[]} external
 */
async function buildWeb(dir, external) {
  /** @type {import('esbuild').Plugin} */
  const webCrypto = {
    name: 'twiml-guard-web-crypto',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\/crypto\/index\.js$/ }, (args) =>
        args.importer.includes(join('packages', 'core', 'src'))
          ? { path: join(dirname(args.importer), args.path.replace(/index\.js$/, 'web.ts')) }
          : undefined,
      );
    },
  };
  for (const format of FORMATS) {
    await build({
      entryPoints: [{ in: join(dir, 'src/index.ts'), out: 'web' }],
      outdir: join(dir, 'dist'),
      outExtension: { '.js': format === 'cjs' ? '.cjs' : '.mjs' },
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      format,
      external,
      plugins: [webCrypto],
      sourcemap: false,
      logLevel: 'warning',
    });
  }
}

/** @param {string[]} names */
function withBundledWorkspaces(names) {
  const ordered = ALL_PACKAGES.filter((name) => names.includes(name) || names.some((wanted) => BUNDLED_WORKSPACES[wanted]?.includes(name)));
  return ordered;
}
