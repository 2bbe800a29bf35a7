/**
 * A private copy of the template to run: a temporary directory whose `node_modules` points at the
 * repository's, so the copy resolves @twiml-guard/* (built dist), the runtimes and esbuild exactly
 * like a scaffolded project, while bundles, `.esbuild/` and the twilio-run `.env` stay out of the
 * checkout (and two demos never share a build directory).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Build output and local secrets of the template in the checkout are not copied. */
const SKIPPED = new Set(['node_modules', 'dist', '.esbuild', '.serverless', '.env', 'local.settings.json', '.twiliodeployinfo']);

const PREFIX = 'twiml-guard-demo-';
const OWNER_FILE = '.owner-pid';

/**
 * @param {string} root
 * @param {string} templateDir
 */
export function createWorkspace(root, templateDir) {
  removeAbandonedWorkspaces();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const copy = join(dir, basename(templateDir));
  cpSync(templateDir, copy, { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) });
  return { dir, template: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Workspaces left behind by a demo that was killed outright (SIGKILL): their owner process is gone. */
function removeAbandonedWorkspaces() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, OWNER_FILE);
    if (!existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
