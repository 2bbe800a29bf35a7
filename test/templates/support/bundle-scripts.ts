/**
 * Runs a template folder's own `bundle` script (the command a user's `npm run bundle` runs), with
 * the monorepo's node_modules/.bin on PATH, so tests exercise exactly what the README tells users.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const ROOT = join(__dirname, '../../..');
export const TEMPLATES_DIR = join(ROOT, 'templates');

export function scriptOf(dir: string, name: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return manifest.scripts?.[name];
}

export function runScript(
  dir: string,
  name: string,
  binDirs: readonly string[] = [join(ROOT, 'node_modules/.bin')],
  extraArgs: readonly string[] = [],
): void {
  const script = scriptOf(dir, name);
  if (script === undefined) throw new Error(`${dir}/package.json has no "${name}" script`);
  execFileSync('/bin/sh', ['-c', [script, ...extraArgs].join(' ')], {
    cwd: dir,
    env: { ...process.env, PATH: [...binDirs, process.env.PATH ?? ''].join(delimiter) },
    stdio: 'pipe',
  });
}

/** The adapters' dist/ is what the bundles inline; build it once if a fresh checkout has none. */
export function ensurePackagesBuilt(): void {
  const needed = ['core', 'aws-lambda', 'azure-functions', 'gcp-functions', 'twilio-functions', 'testing'];
  if (
    needed.every(
      (name) => existsSync(join(ROOT, 'packages', name, 'dist/index.mjs')) && existsSync(join(ROOT, 'packages', name, 'dist/index.cjs')),
    )
  )
    return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
}
