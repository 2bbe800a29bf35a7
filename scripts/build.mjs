// Builds every package: esbuild for CJS + ESM bundles, tsc for the .d.ts files.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['core', 'aws-lambda', 'azure-functions', 'gcp-functions', 'twilio-functions', 'fetch', 'testing'];
/** Packages that also ship a build for web-standard runtimes (dist/web.mjs, dist/web.cjs). */
const webBuildPackages = ['core', 'fetch'];

for (const name of packages) {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // Dependencies and peers stay imports: users bring their own SDKs and the Lambda runtime ships @aws-sdk/*.
  const external = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ];
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const entries = [{ in: join(dir, 'src/index.ts'), out: 'index' }];
  // Subpath entries: the CLI, and rotation (kept out of the main entry: it loads `twilio`).
  for (const extra of ['cli', 'rotation']) {
    if (existsSync(join(dir, `src/${extra}.ts`))) entries.push({ in: join(dir, `src/${extra}.ts`), out: extra });
  }
  if (webBuildPackages.includes(name)) await buildWeb(dir, external);
  for (const format of ['cjs', 'esm']) {
    await build({
      entryPoints: entries,
      outdir: join(dir, 'dist'),
      outExtension: { '.js': format === 'cjs' ? '.cjs' : '.mjs' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      external,
      sourcemap: false,
      logLevel: 'warning',
    });
  }
}

/**
 * The web build (export conditions workerd, worker, edge-light, browser, deno, bun, default): the
 * core's crypto module resolves to crypto/web.ts (WebCrypto) instead of crypto/node.ts. Platform
 * `neutral`: any node: import left in the graph fails the build.
 */
async function buildWeb(dir, external) {
  const webCrypto = {
    name: 'twiml-guard-web-crypto',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\/crypto\/index\.js$/ }, (args) =>
        args.importer.includes(join('packages', 'core', 'src')) ? { path: join(dirname(args.importer), args.path.replace(/index\.js$/, 'web.ts')) } : undefined,
      );
    },
  };
  for (const format of ['cjs', 'esm']) {
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

// One tsc pass emits declarations for all packages; each gets its own dist/*.d.ts tree.
const declDir = join(root, 'node_modules/.cache/twiml-guard-dts');
rmSync(declDir, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', declDir],
  { stdio: 'inherit' },
);
for (const name of packages) {
  const from = join(declDir, name, 'src');
  if (!existsSync(from)) continue;
  execFileSync('cp', ['-r', `${from}/.`, join(root, 'packages', name, 'dist')]);
}
console.log(`built ${packages.length} packages`);
