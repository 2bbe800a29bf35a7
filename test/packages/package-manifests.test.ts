/**
 * What each package would publish (`npm pack --dry-run`) and the manifest it publishes with: the
 * metadata npm and users read, files every entry point needs and nothing unreachable, a LICENSE and a
 * CHANGELOG, internal dependencies as ranges, and nothing for `npm pkg fix` to fix.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/packed-packages';

interface Manifest {
  name: string;
  version: string;
  description?: string;
  keywords?: string[];
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  bugs?: { url: string };
  license?: string;
  engines?: { node?: string };
  publishConfig?: { access?: string; provenance?: boolean };
  scripts?: Record<string, string>;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

// Every workspace that is published: a private one (the shared test helpers) never reaches users.
const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.filter(
  (folder) => (JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as { private?: boolean }).private !== true,
);
const packages = workspaces
  .map((folder) => ({ folder, manifest: JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as Manifest }))
  // Every published package: the @twiml-guard scope and `npm create twiml-guard`'s package.
  .filter(({ manifest }) => manifest.name.startsWith('@twiml-guard/') || manifest.name === 'create-twiml-guard');

test('every workspace package is checked', () => {
  expect(packages.map(({ folder }) => folder)).toEqual(workspaces);
});

beforeAll(() => {
  const missing = packages
    .filter(({ folder }) => !existsSync(join(ROOT, folder, 'dist/index.cjs')))
    .map(({ folder }) => folder.replace('packages/', ''));
  if (missing.length > 0) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), ...missing], { cwd: ROOT, stdio: 'ignore' });
}, 120_000);

/** Every path a manifest points at: main, types, bin, and each exports leaf. */
function pointedAt(manifest: Manifest): string[] {
  const leaves: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') leaves.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  return [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {}), ...leaves]
    .filter((path): path is string => typeof path === 'string')
    .map((path) => path.replace(/^\.\//, ''));
}

describe.each(packages.map(({ folder, manifest }) => [manifest.name, folder, manifest] as const))('%s', (name, folder, manifest) => {
  const short = folder.replace('packages/', '');

  test('metadata: description, keywords, repository with directory, homepage, bugs, engines, public provenance, a prepack build', () => {
    expect(manifest.description?.length).toBeGreaterThan(20);
    expect(manifest.keywords).toEqual(expect.arrayContaining(['twilio']));
    expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/twiml-guard/twiml-guard.git', directory: folder });
    expect(manifest.homepage).toBe(`https://github.com/twiml-guard/twiml-guard/tree/main/${folder}#readme`);
    expect(manifest.bugs).toEqual({ url: 'https://github.com/twiml-guard/twiml-guard/issues' });
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
    // scripts/build.mjs builds a workspace package this one bundles (testing bundles create-twiml-guard) first.
    expect(manifest.scripts?.prepack).toBe(`node ../../scripts/build.mjs ${short}`);
  });

  test('internal dependencies are ranges (^version), not exact pins', () => {
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@twiml-guard/')) expect({ dependency, range }).toEqual({ dependency, range: `^${manifest.version}` });
    }
  });

  test('npm pack ships LICENSE, README, CHANGELOG, every file the manifest points at, and nothing unreachable', () => {
    const [report] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(ROOT, folder), encoding: 'utf8' }),
    ) as { files: { path: string }[] }[];
    const files = report!.files.map((file) => file.path).sort();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']));
    expect(readFileSync(join(ROOT, folder, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    for (const path of pointedAt(manifest)) expect({ path, shipped: files.includes(path) }).toEqual({ path, shipped: true });
    // JavaScript ships only where an entry point or a bin reaches it (the CLI runs through the CJS bin shim).
    const reachable = new Set(pointedAt(manifest));
    if (manifest.bin) reachable.add('dist/cli.cjs');
    for (const path of files.filter((file) => /\.(c|m)?js$/.test(file) && !file.startsWith('bin/')))
      expect({ path, reachable: reachable.has(path) }).toEqual({ path, reachable: true });
    // Declarations come in pairs, one per format; no .d.ts without a format, no sources, tests or maps.
    for (const path of files.filter((file) => file.endsWith('.d.cts'))) expect(files).toContain(path.replace(/\.d\.cts$/, '.d.mts'));
    expect(files.filter((file) => /(^src\/|^test\/|\.d\.ts$|\.map$|\.tsbuildinfo$)/.test(file))).toEqual([]);
    expect(files).not.toContain('dist/cli.mjs');
  });

  test('node10 stubs: each subpath folder points at the built files', () => {
    for (const subpath of Object.keys(manifest.exports ?? {}).filter((key) => key !== '.' && key !== './package.json')) {
      const stub = JSON.parse(readFileSync(join(ROOT, folder, subpath, 'package.json'), 'utf8')) as Record<string, string>;
      const base = subpath.replace('./', '');
      expect(stub).toEqual({ private: true, main: `../dist/${base}.cjs`, module: `../dist/${base}.mjs`, types: `../dist/${base}.d.cts` });
    }
  });

  test('npm pkg fix has nothing to fix', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-pkg-fix-'));
    try {
      copyFileSync(join(ROOT, folder, 'package.json'), join(scratch, 'package.json'));
      // npm pkg fix drops bins whose file is missing: they come along.
      if (manifest.bin) cpSync(join(ROOT, folder, 'bin'), join(scratch, 'bin'), { recursive: true });
      execFileSync('npm', ['pkg', 'fix'], { cwd: scratch, stdio: 'ignore' });
      expect(readFileSync(join(scratch, 'package.json'), 'utf8')).toBe(readFileSync(join(ROOT, folder, 'package.json'), 'utf8'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('a CHANGELOG managed by Changesets, the package in the one fixed group', () => {
    expect(readFileSync(join(ROOT, folder, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^# ${name.replace('/', '\\/')}\\n\\n## ${manifest.version.replace(/\./g, '\\.')}\\n`),
    );
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8')) as { fixed: string[][]; access: string };
    expect(config.access).toBe('public');
    expect(config.fixed).toHaveLength(1);
    expect(config.fixed[0]).toEqual(expect.arrayContaining(['@twiml-guard/*', 'create-twiml-guard']));
  });
});
