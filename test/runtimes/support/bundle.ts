/**
 * Strict bundles of the runtime-test app, made the way each platform's toolchain bundles (wrangler,
 * Next.js edge, Deno's npm resolution): the platform's export conditions, nothing marked external,
 * so a `node:` import anywhere in the graph fails the build instead of failing at run time.
 */
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../fixtures/app';

const ROOT = join(__dirname, '..', '..', '..');
export const APP_SOURCE = join(__dirname, '..', 'fixtures', 'app.ts');

/** Export conditions as each platform's bundler sets them. */
export const CONDITIONS = {
  workerd: ['workerd', 'worker', 'browser'],
  edgeLight: ['edge-light', 'worker', 'browser'],
  deno: ['deno'],
} as const;

export function assertBuilt(): void {
  for (const name of ['core', 'fetch']) {
    if (!existsSync(join(ROOT, 'packages', name, 'dist', 'web.mjs'))) {
      throw new Error(`packages/${name}/dist/web.mjs is missing: run \`npm run build\` first (npm test does)`);
    }
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `twiml-guard-${prefix}-`));
}

/** `node_modules/@twiml-guard/{core,fetch}` in `dir`, holding what the packages publish (package.json and its `files`). */
export function installPackages(dir: string): void {
  assertBuilt();
  for (const name of ['core', 'fetch']) {
    const from = join(ROOT, 'packages', name);
    const to = join(dir, 'node_modules', '@twiml-guard', name);
    mkdirSync(to, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as { files?: string[] };
    for (const file of ['package.json', ...(manifest.files ?? [])]) {
      if (existsSync(join(from, file))) cpSync(join(from, file), join(to, file), { recursive: true });
    }
  }
}

/**
 * A project directory as a user has it: the installed packages, the app beside them, and an entry
 * with the configuration written in: no runtime reads it from the environment. Returns the entry's path.
 */
export function writeProject(dir: string, config: AppConfig, tail = 'export default app;\n'): string {
  installPackages(dir);
  cpSync(APP_SOURCE, join(dir, 'app.ts'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `import { createApp } from './app.ts';\nconst app = createApp(${JSON.stringify(config)});\n${tail}`);
  return entry;
}

export interface BundleOptions {
  readonly conditions: readonly string[];
  readonly format: 'esm' | 'iife';
  readonly minify?: boolean;
}

/** The bundle's code. */
export async function bundle(entry: string, options: BundleOptions): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: [...options.conditions],
    format: options.format,
    target: 'es2022',
    minify: options.minify ?? false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}
