/** `twiml-guard new <template> --cloud <cloud> <dir>`: a standalone project from a template (create-twiml-guard's scaffolder). */
import { resolve } from 'node:path';
import { CLOUDS, findTemplatesDir, isCloud, nextSteps, scaffoldProject, ScaffoldError, TEMPLATES_DIR_ENV } from 'create-twiml-guard';
import packageJson from '../../package.json';
import { parseArgs, single, UsageError } from './args.js';
import { CliFailure, type CliIo } from './io.js';

export const NEW_HELP = `Usage: twiml-guard new <template> --cloud ${CLOUDS.join('|')} <dir>

Writes <dir>, a standalone project for one cloud: the template's handler, that cloud's
configuration and build scripts, a README on deploying it, and a package.json whose
@twiml-guard/* dependencies install from the registry (^${packageJson.version}).
Same as: npm create twiml-guard@latest <dir> -- --template <template> --cloud <cloud>

Options:
  --cloud NAME          ${CLOUDS.join(', ')} (required)
  --templates-dir DIR   where the templates are (default: $${TEMPLATES_DIR_ENV}, else the ones create-twiml-guard ships)
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

  const explicit = single(args, 'templates-dir') ?? io.env[TEMPLATES_DIR_ENV];
  let result;
  try {
    const templatesDir = explicit ? resolve(io.cwd, explicit) : findTemplatesDir();
    result = scaffoldProject({ template, cloud, targetDir: resolve(io.cwd, dir), templatesDir, version: packageJson.version });
  } catch (error) {
    if (error instanceof ScaffoldError) throw new CliFailure(error.message);
    throw error;
  }
  io.out(`Created ${result.targetDir} from template "${template}" for ${cloud} (${result.files.length} files).`);
  for (const file of result.files) io.out(`  ${file}`);
  const [cd, ...rest] = nextSteps(dir, cloud);
  io.out(`Next: ${[cd, ...rest.slice(0, 2)].join(' && ')}`);
  io.out(`Then deploy: ${rest[rest.length - 1]} (README.md says where the token goes and the webhook URL)`);
  return 0;
}
