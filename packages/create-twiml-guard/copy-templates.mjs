// Copies the repository's templates/ into a package (this one by `prepack`; scripts/build.mjs also fills
// @twiml-guard/testing's for `twiml-guard new`), so the templates ship inside the tarball. npm never packs a `.gitignore`: it travels as `gitignore`.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const from = join(here, '..', '..', 'templates');
/** Installs, build output and local secrets of a template that ran in the repository. */
const SKIPPED = new Set([
  'node_modules',
  'dist',
  '.serverless',
  '.esbuild',
  '.twiliodeployinfo',
  'coverage',
  '.env',
  'local.settings.json',
]);
/** `.env.local`, `.env.production`, `local.settings.dev.json`…: a local secrets file; only its `.example` ships. */
const LOCAL_SECRETS = /^(\.env\..+|local\.settings\..+\.json)$/;
const isLocalSecrets = (/** @type {string} */ name) => LOCAL_SECRETS.test(name) && !name.endsWith('.example');

export function copyTemplates(to = join(here, 'templates'), templates = from) {
  rmSync(to, { recursive: true, force: true });
  cpSync(templates, to, {
    recursive: true,
    filter: (source) =>
      !SKIPPED.has(basename(source)) &&
      !isLocalSecrets(basename(source)) &&
      !/\.test\.[cm]?[jt]s$/.test(source) &&
      !ignoredBuildOutput(source),
  });
  const renameGitignores = (/** @type {string} */ dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) renameGitignores(path);
      else if (name === '.gitignore') renameSync(path, join(dir, 'gitignore'));
    }
  };
  renameGitignores(to);
  return to;
}

/** A folder's own .gitignore naming build output with an anchored pattern (`/functions/`), e.g. twilio/functions. */
/** @param {string} source */
function ignoredBuildOutput(source) {
  const ignoreFile = join(dirname(source), '.gitignore');
  if (!existsSync(ignoreFile)) return false;
  return readFileSync(ignoreFile, 'utf8')
    .split(/\r?\n/)
    .some((line) => line.trim().replace(/^\//, '').replace(/\/$/, '') === basename(source) && line.trim().startsWith('/'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) copyTemplates();
