import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listTemplates } from './scaffold.js';
import { ScaffoldError } from './scaffold-error.js';

/** The environment variable that points `create-twiml-guard` at another folder of templates. */
export const TEMPLATES_DIR_ENV = 'TWIML_GUARD_TEMPLATES_DIR';

/** This module's folder: `__dirname` in the CommonJS build; the ES module build is given `import.meta.dirname` in its place (scripts/build.mjs). */
const MODULE_DIR: string | undefined = typeof __dirname === 'string' ? __dirname : undefined;

/**
 * Where the templates may be: the copy shipped inside this package (`templates/` next to `dist/`),
 * then, inside the repository, its top-level `templates/`.
 * @param moduleDir - this module's folder
 */
export function shippedTemplatesDirs(moduleDir: string | undefined = MODULE_DIR): string[] {
  if (moduleDir === undefined) return [];
  // dist/ (or src/) → the package root's templates/; packages/create-twiml-guard/src → the repository's templates/.
  return [join(moduleDir, '..', 'templates'), join(moduleDir, '..', '..', '..', 'templates')];
}

/**
 * The first of `shippedTemplatesDirs` that holds templates.
 * @param moduleDir - this module's folder
 * @throws ScaffoldError when there is none
 */
export function findTemplatesDir(moduleDir?: string): string {
  const found = shippedTemplatesDirs(moduleDir).find((candidate) => existsSync(candidate) && listTemplates(candidate).length > 0);
  if (!found) throw new ScaffoldError(`no templates found next to create-twiml-guard (set ${TEMPLATES_DIR_ENV} to a folder of templates)`);
  return found;
}
