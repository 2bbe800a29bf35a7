/** `twiml-guard new <template> --cloud <cloud> <dir>`: a standalone project from a template. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import packageJson from '../../package.json';
import { CLOUDS, isCloud, listTemplates, scaffoldProject, ScaffoldError } from '../scaffold.js';
import { parseArgs, single, UsageError } from './args.js';
import { CliFailure, type CliIo } from './io.js';

export const TEMPLATES_DIR_ENV = 'TWIML_GUARD_TEMPLATES_DIR';

export const NEW_HELP = `Usage: twiml-guard new <template> --cloud ${CLOUDS.join('|')} <dir>

Copies templates/<template>/ (its handler and the chosen cloud's folder) into <dir>, a new
standalone project whose package.json depends on published @twiml-guard/* ^${packageJson.version}.

Options:
  --cloud NAME          ${CLOUDS.join(', ')} (required)
  --templates-dir DIR   where the templates are (default: $${TEMPLATES_DIR_ENV}, else the bundled templates)
  -h, --help            this help`;

const SPECS = {
  help: { type: 'boolean' },
  cloud: { type: 'string' },
  'templates-dir': { type: 'string' },
} as const;

export async function newCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS);
  if (args.booleans.has('help')) {
    io.out(NEW_HELP);
    return 0;
  }
  const [template, dir, ...extra] = args.positionals;
  if (!template || !dir) throw new UsageError('new needs a template and a directory (twiml-guard new <template> --cloud <cloud> <dir>)');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const cloud = single(args, 'cloud');
  if (!cloud) throw new UsageError(`new needs --cloud (${CLOUDS.join(', ')})`);
  if (!isCloud(cloud)) throw new UsageError(`unknown cloud "${cloud}" (use ${CLOUDS.join(', ')})`);

  const templatesDir = findTemplatesDir(single(args, 'templates-dir') ?? io.env[TEMPLATES_DIR_ENV], io.cwd);
  let result;
  try {
    result = scaffoldProject({ template, cloud, targetDir: resolve(io.cwd, dir), templatesDir, version: packageJson.version });
  } catch (error) {
    if (error instanceof ScaffoldError) throw new CliFailure(error.message);
    throw error;
  }
  io.out(`Created ${result.targetDir} from template "${template}" for ${cloud} (${result.files.length} files).`);
  for (const file of result.files) io.out(`  ${file}`);
  // Install where the package.json files are (the template may keep one per cloud folder only).
  for (const manifest of result.rewrittenPackageJsons) {
    const folder = manifest === 'package.json' ? dir : join(dir, manifest.slice(0, -'/package.json'.length));
    io.out(`Next: cd ${folder} && npm install`);
  }
  return 0;
}

/** An explicit folder wins; otherwise the templates shipped next to the CLI, or the monorepo's. */
function findTemplatesDir(explicit: string | undefined, cwd: string): string {
  if (explicit) return resolve(cwd, explicit);
  const here = typeof __dirname === 'string' ? __dirname : cwd;
  const candidates = [join(here, '..', 'templates'), join(here, '..', '..', '..', 'templates')];
  const found = candidates.find((candidate) => existsSync(candidate) && listTemplates(candidate).length > 0);
  if (!found) throw new CliFailure(`no templates found; pass --templates-dir or set ${TEMPLATES_DIR_ENV}`);
  return found;
}
