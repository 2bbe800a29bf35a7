import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CLOUDS, isCloud, type Cloud } from './clouds.js';
import { mergeManifests, parseManifest } from './project-manifest.js';
import { projectReadme } from './project-readme.js';
import { rewriteRelativeImports } from './relative-imports.js';
import { ScaffoldError } from './scaffold-error.js';

/** Build output, installs and the repository's own tests of a template stay behind. */
const SKIPPED_NAMES = new Set([
  'node_modules',
  'dist',
  '.serverless',
  'cdk.out',
  '.esbuild',
  '.twiliodeployinfo',
  'coverage',
  '.env',
  'local.settings.json',
]);
const SKIPPED_FILE = /\.test\.[cm]?[jt]s$/;
/** `.env.local`, `.env.production`, `local.settings.dev.json`…: a local secrets file; only its `.example` is copied. */
const LOCAL_SECRETS = /^(\.env\..+|local\.settings\..+\.json)$/;
const SOURCE_FILE = /\.[cm]?[jt]s$/;
/** npm never packs a file named `.gitignore`, so the shipped templates carry it as `gitignore`. */
const SHIPPED_GITIGNORE = 'gitignore';

/** What to generate, and where. */
export interface ScaffoldOptions {
  /** The template's name, a folder of `templatesDir`. */
  readonly template: string;
  /** The one cloud the project is for. */
  readonly cloud: Cloud;
  /** Where the project goes; must not exist or be empty. */
  readonly targetDir: string;
  /** The folder holding `<template>/`. */
  readonly templatesDir: string;
  /** The version `@twiml-guard/*` dependencies get, e.g. `0.1.0` (written as `^0.1.0`). */
  readonly version: string;
}

/** What `scaffoldProject` wrote. */
export interface ScaffoldResult {
  /** The project folder. */
  readonly targetDir: string;
  /** Written files, relative to `targetDir`, `/`-separated. */
  readonly files: readonly string[];
  /** The package.json files whose `@twiml-guard/*` versions were written (the project's one). */
  readonly rewrittenPackageJsons: readonly string[];
}

/**
 * The templates in a folder, by name, sorted.
 * @param templatesDir - the folder holding one folder per template
 */
export function listTemplates(templatesDir: string): string[] {
  if (!existsSync(templatesDir)) return [];
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SKIPPED_NAMES.has(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

/** The clouds a template has a folder for. */
export function cloudsOf(templatesDir: string, template: string): Cloud[] {
  return CLOUDS.filter((cloud) => existsSync(join(templatesDir, template, cloud)));
}

/**
 * Writes a standalone one-cloud project from `templates/<name>/`: the template's shared files
 * (`handler.ts`, `tsconfig.json`, …) and the chosen cloud's folder merged into one project root,
 * with one package.json whose `@twiml-guard/*` dependencies come from the registry, and a README
 * for that cloud alone. The other clouds' folders are left out.
 * @param options - template, cloud, target folder, templates folder and version
 * @returns the files written
 * @throws ScaffoldError for an unknown template or cloud, or a target that is not empty
 * @example
 * ```ts
 * import { findTemplatesDir, scaffoldProject } from 'create-twiml-guard';
 *
 * scaffoldProject({ template: 'sms-auto-reply', cloud: 'aws', targetDir: 'my-sms', templatesDir: findTemplatesDir(), version: '0.1.0' });
 * ```
 */
export function scaffoldProject(options: ScaffoldOptions): ScaffoldResult {
  const { template, cloud } = options;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(template)) throw new ScaffoldError(`"${template}" is not a template name.`);
  if (!isCloud(cloud)) throw new ScaffoldError(`Unknown cloud "${String(cloud)}"; use one of ${CLOUDS.join(', ')}.`);
  const templateDir = resolve(options.templatesDir, template);
  if (!existsSync(templateDir) || !statSync(templateDir).isDirectory()) {
    const available = listTemplates(options.templatesDir);
    throw new ScaffoldError(
      `No template "${template}" in ${options.templatesDir}${available.length ? ` (available: ${available.join(', ')})` : ''}.`,
    );
  }
  const cloudDir = join(templateDir, cloud);
  if (!existsSync(cloudDir) || !statSync(cloudDir).isDirectory()) {
    const clouds = cloudsOf(options.templatesDir, template);
    throw new ScaffoldError(`Template "${template}" has no ${cloud} variant${clouds.length ? ` (it has: ${clouds.join(', ')})` : ''}.`);
  }
  const targetDir = resolve(options.targetDir);
  checkTarget(targetDir, resolve(options.templatesDir));

  // Template path → project path: shared files keep their place, the cloud folder's files move up one level.
  const shared = listFiles(templateDir, (name, depth) => !(depth === 0 && isCloud(name)));
  const overlay = listFiles(cloudDir, () => true);
  const destinations = new Map<string, string>();
  for (const file of shared) destinations.set(join(templateDir, file), projectPath(targetDir, file));
  for (const file of overlay) destinations.set(join(cloudDir, file), projectPath(targetDir, file));
  // NodeNext imports name the emitted `.js` (`.mjs`, `.cjs`) of a `.ts` (`.mts`, `.cts`) source: map the source, keep the kind.
  const mapPath = (templatePath: string): string | undefined => {
    const direct = destinations.get(templatePath);
    if (direct !== undefined) return direct;
    const source = templatePath.replace(/\.([cm]?)js$/, '.$1ts');
    if (source === templatePath) return undefined;
    return destinations.get(source)?.replace(/\.([cm]?)ts$/, '.$1js');
  };

  const outputs = new Map<string, string>();
  const add = (path: string, content: string): void => {
    if (path.endsWith(`${sep}.gitignore`) && outputs.has(path)) outputs.set(path, `${outputs.get(path)!.trimEnd()}\n${content}`);
    else if (outputs.has(path))
      throw new ScaffoldError(
        `Template "${template}": ${relative(targetDir, path)} exists both in the template and in its ${cloud} folder.`,
      );
    else outputs.set(path, content);
  };
  for (const file of shared) {
    if (file === 'package.json' || file === 'README.md') continue;
    add(projectPath(targetDir, file), readFileSync(join(templateDir, file), 'utf8'));
  }
  for (const file of overlay) {
    if (file === 'package.json') continue;
    const source = join(cloudDir, file);
    const target = projectPath(targetDir, file);
    const text = readFileSync(source, 'utf8');
    add(target, SOURCE_FILE.test(file) ? rewriteRelativeImports(text, source, target, mapPath) : text);
  }
  const sharedManifest = shared.includes('package.json')
    ? parseManifest(readFileSync(join(templateDir, 'package.json'), 'utf8'))
    : undefined;
  if (!overlay.includes('package.json')) throw new ScaffoldError(`Template "${template}" has no ${cloud}/package.json.`);
  const projectName = basename(targetDir);
  add(
    join(targetDir, 'package.json'),
    mergeManifests(sharedManifest, parseManifest(readFileSync(join(cloudDir, 'package.json'), 'utf8')), projectName, options.version),
  );
  if (shared.includes('README.md')) {
    add(
      join(targetDir, 'README.md'),
      projectReadme({ templateReadme: readFileSync(join(templateDir, 'README.md'), 'utf8'), template, cloud, projectDir: projectName }),
    );
  }

  for (const [path, content] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const files = [...outputs.keys()].map((path) => relative(targetDir, path).split(sep).join('/')).sort();
  return { targetDir, files, rewrittenPackageJsons: ['package.json'] };
}

/** The target must be a new or empty directory, and not one the templates would then include. */
function checkTarget(targetDir: string, templatesDir: string): void {
  const fromTemplates = relative(realPathOfNearest(templatesDir), realPathOfNearest(targetDir));
  if (fromTemplates === '' || (!fromTemplates.startsWith('..') && !isAbsolute(fromTemplates))) {
    throw new ScaffoldError(`${targetDir} is inside the templates folder ${templatesDir}; choose a directory outside it.`);
  }
  const link = lstatSync(targetDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink() && !existsSync(targetDir))
    throw new ScaffoldError(`${targetDir} is a symbolic link to ${readlinkSync(targetDir)}, which does not exist.`);
  if (!existsSync(targetDir)) return;
  if (!statSync(targetDir).isDirectory()) throw new ScaffoldError(`${targetDir} is a file, not a directory.`);
  if (readdirSync(targetDir).length > 0) throw new ScaffoldError(`${targetDir} already exists and is not empty.`);
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended (the target may not exist yet). */
function realPathOfNearest(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realPathOfNearest(parent), basename(path));
}

function projectPath(targetDir: string, templateRelative: string): string {
  const parts = templateRelative.split('/');
  if (parts[parts.length - 1] === SHIPPED_GITIGNORE) parts[parts.length - 1] = '.gitignore';
  return join(targetDir, ...parts);
}

/**
 * Files under `dir`, `/`-separated and relative to it; `keep(name, depth)` filters directories.
 * Build output a folder's own .gitignore names with an anchored pattern (`/functions/`) is skipped too.
 */
function listFiles(dir: string, keep: (name: string, depth: number) => boolean): string[] {
  const files: string[] = [];
  const walk = (from: string, prefix: string, depth: number): void => {
    const ignored = anchoredIgnores(from);
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (SKIPPED_NAMES.has(entry.name) || ignored.has(entry.name) || (LOCAL_SECRETS.test(entry.name) && !entry.name.endsWith('.example')))
        continue;
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (keep(entry.name, depth)) walk(join(from, entry.name), path, depth + 1);
      } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(dir, '', 0);
  return files.sort();
}

function anchoredIgnores(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of ['.gitignore', SHIPPED_GITIGNORE]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
      const match = /^\/([^/*?[\]!#]+)\/?$/.exec(line.trim());
      if (match?.[1]) names.add(match[1]);
    }
  }
  return names;
}
