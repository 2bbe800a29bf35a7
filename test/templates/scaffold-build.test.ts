/**
 * `twiml-guard new <template> --cloud <cloud> <dir>` gives a project that builds on its own: every
 * template × cloud is scaffolded into a temp dir whose node_modules stands in for `npm install`
 * (a link to the monorepo's, where @twiml-guard/* are the locally built packages). Then:
 * - every package the code imports (bundled or left external) is declared in the project's own
 *   package.json files, externals as runtime `dependencies` of the cloud folder (what the platform installs);
 * - every cloud folder's `bundle` script works from the scaffolded layout;
 * - one tsc program typechecks all twenty projects against the packages' published .d.ts;
 * - `npm run build` (the README's command) runs for sms-auto-reply on each cloud, and
 *   `serverless package` for its AWS project.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { CLOUDS, scaffoldProject, type Cloud } from '@twiml-guard/testing';
import { ensurePackagesBuilt, ROOT, runScript, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { TEMPLATE_CASES } from './support/template-cases.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-scaffold-'));
const BIN = join(ROOT, 'node_modules/.bin');

type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };
const readManifest = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

interface Project {
  readonly template: string;
  readonly cloud: Cloud;
  readonly dir: string;
}
const projects: Project[] = [];

beforeAll(() => {
  ensurePackagesBuilt();
  for (const { template } of TEMPLATE_CASES) {
    for (const cloud of CLOUDS) {
      const dir = join(scratch, `${template}-${cloud}`);
      scaffoldProject({ template, cloud, targetDir: dir, templatesDir: TEMPLATES_DIR, version: '0.1.0' });
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      projects.push({ template, cloud, dir });
    }
  }
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The entry points of a cloud folder, as its bundle script or serverless.yml names them. */
function entryPoints(project: Project): string[] {
  const folder = join(project.dir, project.cloud);
  if (project.cloud === 'aws') return [join(folder, 'index.ts')];
  const sources = project.cloud === 'azure' ? join(folder, 'src/functions') : join(folder, 'src');
  return readdirSync(sources).filter((name) => name.endsWith('.ts')).map((name) => join(sources, name));
}

/** The `external` list the folder really bundles with: its bundle script's `--external:` flags, or serverless.yml's `custom.esbuild.external`. */
function externalsOf(project: Project): string[] {
  const folder = join(project.dir, project.cloud);
  if (project.cloud === 'aws') {
    const line = /^\s+external: \[(.*)\]$/m.exec(readFileSync(join(folder, 'serverless.yml'), 'utf8'));
    return (line?.[1] ?? '').split(',').map((item) => item.trim().replace(/^'|'$/g, '')).filter(Boolean);
  }
  const script = readManifest(join(folder, 'package.json')).scripts?.bundle ?? '';
  return [...script.matchAll(/--external:(\S+)/g)].map((match) => match[1]!);
}

/** `@scope/name` or `name` of a bare import or a node_modules path. */
function packageName(specifierOrPath: string): string {
  const afterNodeModules = specifierOrPath.includes('node_modules/') ? specifierOrPath.slice(specifierOrPath.lastIndexOf('node_modules/') + 'node_modules/'.length) : specifierOrPath;
  const parts = afterNodeModules.split('/');
  return afterNodeModules.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
}

describe.each(TEMPLATE_CASES.flatMap(({ template }) => CLOUDS.map((cloud) => [template, cloud] as const)))('twiml-guard new %s --cloud %s', (template, cloud) => {
  const project = (): Project => projects.find((p) => p.template === template && p.cloud === cloud)!;

  it('copies the shared handler, the root workspace and only this cloud', () => {
    const entries = readdirSync(project().dir).filter((name) => name !== 'node_modules').sort();
    expect(entries).toEqual(['.gitignore', 'README.md', cloud, 'handler.ts', 'package.json', 'tsconfig.json'].sort());
    expect(readManifest(join(project().dir, 'package.json')).dependencies?.['@twiml-guard/core']).toBe('^0.1.0');
  });

  it('declares every package its code imports; what stays external is a runtime dependency of the cloud folder', async () => {
    const root = readManifest(join(project().dir, 'package.json'));
    const folder = readManifest(join(project().dir, cloud, 'package.json'));
    const declared = new Set([root, folder].flatMap((manifest) => [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]));
    const runtime = new Set(Object.keys(folder.dependencies ?? {}));
    const external = externalsOf(project());
    const result = await build({ entryPoints: entryPoints(project()), bundle: true, write: false, platform: 'node', format: 'cjs', outdir: 'out', metafile: true, external, tsconfig: join(project().dir, 'tsconfig.json'), logLevel: 'silent' });
    const metafile: Metafile = result.metafile;
    // What ends up in the bundles (tree-shaken: an adapter's unused lazy imports resolve but add no bytes) and what stays an import.
    const outputs = Object.values(metafile.outputs);
    const bundled = outputs.flatMap((output) => Object.entries(output.inputs).filter(([input, used]) => used.bytesInOutput > 0 && input.includes('node_modules/')).map(([input]) => packageName(input)));
    const externals = outputs.flatMap((output) => output.imports.filter((imported) => imported.external && !imported.path.startsWith('node:')).map((imported) => packageName(imported.path)));
    for (const name of new Set(bundled)) expect({ name, declared: declared.has(name) }).toEqual({ name, declared: true });
    const runtimeExternals = [...new Set(externals)].filter((name) => !(cloud === 'aws' && name.startsWith('@aws-sdk/')));
    for (const name of runtimeExternals) expect({ name, runtimeDependency: runtime.has(name) }).toEqual({ name, runtimeDependency: true });
  });

  it("runs the cloud folder's bundle script from the scaffolded layout", () => {
    const folder = join(project().dir, cloud);
    if (cloud === 'aws') {
      // serverless-esbuild bundles at package/deploy time; the tools it needs are declared.
      expect(Object.keys(readManifest(join(folder, 'package.json')).devDependencies ?? {})).toEqual(expect.arrayContaining(['osls', 'serverless-esbuild', 'esbuild']));
      return;
    }
    runScript(folder, 'bundle', [join(project().dir, 'node_modules/.bin')]);
    const outputs = cloud === 'azure' ? readdirSync(join(folder, 'dist/functions')) : cloud === 'gcp' || cloud === 'cloudflare' ? readdirSync(join(folder, 'dist')) : readdirSync(join(folder, 'functions'), { recursive: true }).map(String);
    expect(outputs.length).toBeGreaterThan(0);
  });
});

it('typechecks all twenty scaffolded projects against the published .d.ts (one tsc program, each project\'s own tsconfig options)', async () => {
  const configs = new Set(projects.map((p) => readFileSync(join(p.dir, 'tsconfig.json'), 'utf8')));
  expect(configs.size).toBe(1); // one set of options, so one program checks them all faithfully
  const first = projects[0]!;
  const include = projects.flatMap((p) => ['*.ts', '*/src/**/*.ts', 'aws/*.ts'].map((pattern) => `${relative(scratch, p.dir)}/${pattern}`));
  if (!existsSync(join(scratch, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ extends: `./${relative(scratch, first.dir)}/tsconfig.json`, include, exclude: ['**/node_modules', '**/dist'] }));
  const result = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(scratch, 'tsconfig.json')], { cwd: scratch }).catch((error: Error & { stdout?: string }) => ({ stdout: error.stdout ?? error.message }));
  expect(result.stdout).toBe('');
}, 120_000);

describe('sms-auto-reply as a user builds it', () => {
  it.each(CLOUDS)('--cloud %s: `npm run build` (typecheck + every bundle script) succeeds', async (cloud) => {
    const { dir } = projects.find((p) => p.template === 'sms-auto-reply' && p.cloud === cloud)!;
    // A clean environment: the npm_* variables of the `npm test` running jest would point npm at the monorepo.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
    await run('npm', ['run', 'build'], { cwd: dir, env: { ...env, npm_config_update_notifier: 'false' } }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run build failed in ${dir}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
  }, 120_000);

  it('--cloud aws: `serverless package` bundles ../handler.ts into the zip from the scaffolded layout', async () => {
    const { dir } = projects.find((p) => p.template === 'sms-auto-reply' && p.cloud === 'aws')!;
    const out = join(scratch, 'sms-auto-reply-aws.package');
    await run(process.execPath, [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--package', out], {
      cwd: join(dir, 'aws'),
      env: { PATH: `${BIN}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? scratch, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    });
    const { stdout } = await run('unzip', ['-p', join(out, 'sms-auto-reply.zip'), 'index.js'], { maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toContain('Thanks! We got your message');
  }, 120_000);
});
