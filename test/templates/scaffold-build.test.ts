/**
 * `npm create twiml-guard` (and `twiml-guard new`) give a project that builds on its own: every
 * template × cloud is scaffolded into a temp dir, below one install per cloud of what those
 * projects' package.json files name (the @twiml-guard/* packages as `npm pack` ships them, the rest
 * at the pinned versions; see support/packed-install.ts). Then:
 * - every package the code imports (bundled or left external) is declared in the project's
 *   package.json, externals as runtime `dependencies` (what the platform installs);
 * - every project's `bundle` script works from the scaffolded layout;
 * - one tsc program per cloud typechecks its five projects against the packed .d.ts;
 * - `npm run build` (the README's command) runs for sms-auto-reply on each cloud, and
 *   `serverless package` for its AWS project.
 * The registry end to end (`npm run test:registry`) installs from a real registry instead.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { CLOUDS, scaffoldProject, type Cloud } from 'create-twiml-guard';
import { ensurePackagesBuilt, runScript, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { cleanNpmEnv, installFor, packWorkspaces } from './support/packed-install.js';
import { TEMPLATE_CASES } from './support/template-cases.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-scaffold-'));
const PACKAGES = [
  '@twiml-guard/core',
  '@twiml-guard/aws-lambda',
  '@twiml-guard/azure-functions',
  '@twiml-guard/gcp-functions',
  '@twiml-guard/twilio-functions',
  '@twiml-guard/fetch',
  '@twiml-guard/testing',
];

type Manifest = {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  workspaces?: unknown;
};
const readManifest = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

interface Project {
  readonly template: string;
  readonly cloud: Cloud;
  readonly dir: string;
}
const projects: Project[] = [];
const installDir = (cloud: Cloud): string => join(scratch, cloud);

beforeAll(async () => {
  ensurePackagesBuilt();
  for (const { template } of TEMPLATE_CASES) {
    for (const cloud of CLOUDS) {
      const dir = join(installDir(cloud), template);
      scaffoldProject({ template, cloud, targetDir: dir, templatesDir: TEMPLATES_DIR, version: '0.1.0' });
      projects.push({ template, cloud, dir });
    }
  }
  const tarballs = await packWorkspaces(join(scratch, 'packs'), PACKAGES);
  await Promise.all(
    CLOUDS.map((cloud) =>
      installFor(
        installDir(cloud),
        projects.filter((p) => p.cloud === cloud).map((p) => join(p.dir, 'package.json')),
        tarballs,
      ),
    ),
  );
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The entry points of a project, as its bundle script or serverless.yml names them. */
function entryPoints(project: Project): string[] {
  if (project.cloud === 'aws') return [join(project.dir, 'index.ts')];
  const sources = project.cloud === 'azure' ? join(project.dir, 'src/functions') : join(project.dir, 'src');
  return readdirSync(sources)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(sources, name));
}

/** The `external` list the project really bundles with: its bundle script's `--external:` flags, or serverless.yml's `custom.esbuild.external`. */
function externalsOf(project: Project): string[] {
  if (project.cloud === 'aws') {
    const line = /^\s+external: \[(.*)\]$/m.exec(readFileSync(join(project.dir, 'serverless.yml'), 'utf8'));
    return (line?.[1] ?? '')
      .split(',')
      .map((item) => item.trim().replace(/^'|'$/g, ''))
      .filter(Boolean);
  }
  const script = readManifest(join(project.dir, 'package.json')).scripts?.bundle ?? '';
  return [...script.matchAll(/--external:(\S+)/g)].map((match) => match[1]!);
}

/** `@scope/name` or `name` of a bare import or a node_modules path. */
function packageName(specifierOrPath: string): string {
  const afterNodeModules = specifierOrPath.includes('node_modules/')
    ? specifierOrPath.slice(specifierOrPath.lastIndexOf('node_modules/') + 'node_modules/'.length)
    : specifierOrPath;
  const parts = afterNodeModules.split('/');
  return afterNodeModules.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
}

it('installs the packed packages as real folders, not links into the repository', () => {
  for (const cloud of CLOUDS) {
    const core = join(installDir(cloud), 'node_modules/@twiml-guard/core');
    expect(lstatSync(join(installDir(cloud), 'node_modules')).isSymbolicLink()).toBe(false);
    expect(lstatSync(core).isSymbolicLink()).toBe(false);
    expect(existsSync(join(core, 'dist/index.cjs'))).toBe(true);
    expect(existsSync(join(core, 'src'))).toBe(false); // what npm pack ships, not the workspace
  }
});

describe.each(TEMPLATE_CASES.flatMap(({ template }) => CLOUDS.map((cloud) => [template, cloud] as const)))(
  'npm create twiml-guard -- --template %s --cloud %s',
  (template, cloud) => {
    const project = (): Project => projects.find((p) => p.template === template && p.cloud === cloud)!;

    it('holds the shared handler and only this cloud, in one root with one package.json', () => {
      const entries = readdirSync(project().dir).sort();
      expect(entries).toEqual(expect.arrayContaining(['.gitignore', 'README.md', 'handler.ts', 'package.json', 'tsconfig.json']));
      for (const name of CLOUDS) expect(entries).not.toContain(name);
      const manifest = readManifest(join(project().dir, 'package.json'));
      expect(manifest.workspaces).toBeUndefined();
      expect(manifest.dependencies?.['@twiml-guard/core'] ?? manifest.devDependencies?.['@twiml-guard/core']).toBe('^0.1.0');
    });

    it('declares every package its code imports; what stays external is a runtime dependency', async () => {
      const manifest = readManifest(join(project().dir, 'package.json'));
      const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
      const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
      const external = externalsOf(project());
      const result = await build({
        entryPoints: entryPoints(project()),
        bundle: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        outdir: 'out',
        metafile: true,
        external,
        absWorkingDir: project().dir,
        logLevel: 'silent',
      });
      const metafile: Metafile = result.metafile;
      // What ends up in the bundles (tree-shaken: an adapter's unused lazy imports resolve but add no bytes) and what stays an import.
      const outputs = Object.values(metafile.outputs);
      const bundled = outputs.flatMap((output) =>
        Object.entries(output.inputs)
          .filter(([input, used]) => used.bytesInOutput > 0 && input.includes('node_modules/'))
          .map(([input]) => packageName(input)),
      );
      const externals = outputs.flatMap((output) =>
        output.imports
          .filter((imported) => imported.external && !imported.path.startsWith('node:'))
          .map((imported) => packageName(imported.path)),
      );
      expect(bundled).toContain('@twiml-guard/core');
      for (const name of new Set(bundled)) expect({ name, declared: declared.has(name) }).toEqual({ name, declared: true });
      const runtimeExternals = [...new Set(externals)].filter((name) => !(cloud === 'aws' && name.startsWith('@aws-sdk/')));
      for (const name of runtimeExternals)
        expect({ name, runtimeDependency: runtime.has(name) }).toEqual({ name, runtimeDependency: true });
    });

    it("runs the project's bundle script", () => {
      const { dir } = project();
      if (cloud === 'aws') {
        // serverless-esbuild bundles at package/deploy time; the tools it needs are declared.
        expect(Object.keys(readManifest(join(dir, 'package.json')).devDependencies ?? {})).toEqual(
          expect.arrayContaining(['osls', 'serverless-esbuild', 'esbuild']),
        );
        return;
      }
      runScript(dir, 'bundle', [join(installDir(cloud), 'node_modules/.bin')]);
      const outputs =
        cloud === 'azure'
          ? readdirSync(join(dir, 'dist/functions'))
          : cloud === 'gcp' || cloud === 'cloudflare'
            ? readdirSync(join(dir, 'dist'))
            : readdirSync(join(dir, 'functions'), { recursive: true }).map(String);
      expect(outputs.length).toBeGreaterThan(0);
    });
  },
);

it.each(CLOUDS)(
  "typechecks the five --cloud %s projects against the packed .d.ts (one tsc program, the projects' own tsconfig options)",
  async (cloud) => {
    const mine = projects.filter((p) => p.cloud === cloud);
    const configs = new Set(mine.map((p) => readFileSync(join(p.dir, 'tsconfig.json'), 'utf8')));
    expect(configs.size).toBe(1); // one set of options, so one program checks them all faithfully
    const include = mine.flatMap((p) => ['*.ts', 'src/**/*.ts'].map((pattern) => `${relative(installDir(cloud), p.dir)}/${pattern}`));
    writeFileSync(
      join(installDir(cloud), 'tsconfig.json'),
      JSON.stringify({
        extends: `./${relative(installDir(cloud), mine[0]!.dir)}/tsconfig.json`,
        include,
        exclude: ['**/node_modules', '**/dist'],
      }),
    );
    const tsc = join(installDir(cloud), 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(installDir(cloud), 'tsconfig.json')], { cwd: installDir(cloud) }).catch(
      (error: Error & { stdout?: string }) => ({ stdout: error.stdout ?? error.message }),
    );
    expect(result.stdout).toBe('');
  },
  120_000,
);

describe('sms-auto-reply as a user builds it', () => {
  it.each(CLOUDS)(
    '--cloud %s: `npm run build` (typecheck + bundle) succeeds',
    async (cloud) => {
      const { dir } = projects.find((p) => p.template === 'sms-auto-reply' && p.cloud === cloud)!;
      await run('npm', ['run', 'build'], { cwd: dir, env: cleanNpmEnv() }).catch((error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`npm run build failed in ${dir}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      });
    },
    120_000,
  );

  it('--cloud aws: `serverless package` bundles handler.ts into the zip from the scaffolded layout', async () => {
    const { dir } = projects.find((p) => p.template === 'sms-auto-reply' && p.cloud === 'aws')!;
    const out = join(scratch, 'sms-auto-reply-aws.package');
    mkdirSync(out);
    await run(process.execPath, [join(installDir('aws'), 'node_modules/osls/bin/serverless.js'), 'package', '--package', out], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? scratch,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
      },
    });
    const { stdout } = await run('unzip', ['-p', join(out, 'sms-auto-reply.zip'), 'index.js'], { maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toContain('Thanks! We got your message');
  }, 120_000);
});
