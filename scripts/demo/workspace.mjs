/**
 * A private copy of the template to run: a temporary directory whose `node_modules` points at the
 * repository's, so the copy resolves @twiml-guard/* (built dist), the runtimes and esbuild exactly
 * like a scaffolded project, while bundles, `.esbuild/` and the twilio-run `.env` stay out of the
 * checkout (and two demos never share a build directory).
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Build output and local secrets of the template in the checkout are not copied. */
const SKIPPED = new Set(['node_modules', 'dist', '.esbuild', '.serverless', '.env', 'local.settings.json', '.twiliodeployinfo']);

export function createWorkspace(root, templateDir) {
  const dir = mkdtempSync(join(tmpdir(), 'twiml-guard-demo-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const copy = join(dir, basename(templateDir));
  cpSync(templateDir, copy, { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) });
  return { dir, template: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
