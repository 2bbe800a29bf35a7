import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../package.json';
import { CLOUDS, cloudInfo, isCloud, type Cloud } from './clouds.js';
import { nextSteps } from './next-steps.js';
import { createPrompter, type Terminal } from './prompt.js';
import { cloudsOf, listTemplates, scaffoldProject } from './scaffold.js';
import { ScaffoldError } from './scaffold-error.js';
import { findTemplatesDir, TEMPLATES_DIR_ENV } from './templates-dir.js';

/** The outside world `runCreate` talks to: output streams, working folder, environment, terminal. */
export interface CreateIo {
  /** Writes a line of normal output. */
  out(text: string): void;
  /** Writes a line of error output. */
  err(text: string): void;
  /** The folder `<dir>` is resolved against. */
  readonly cwd: string;
  /** The environment (`TWIML_GUARD_TEMPLATES_DIR` is read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Set only when both stdin and stdout are terminals: then, and only then, missing answers are asked for. */
  readonly terminal?: Terminal;
}

/** The help text `--help` and usage errors print. */
export const USAGE = `Usage: npm create twiml-guard@latest <dir> -- --template <name> --cloud <${CLOUDS.join('|')}>
   or: create-twiml-guard <dir> --template <name> --cloud <cloud>

Writes a standalone project for one cloud into <dir>: the template's handler, that cloud's
configuration and build scripts, and a README on deploying it. @twiml-guard/* install from the
registry (^${packageJson.version}).

Options:
  --template NAME   the template (run on a terminal without it to choose from the list)
  --cloud NAME      ${CLOUDS.join(', ')}
  -h, --help        this help

On a terminal, whatever is missing is asked for; otherwise all three are required.`;

class UsageError extends Error {}

/**
 * `npm create twiml-guard@latest <dir> -- --template <name> --cloud <cloud>`: asks for what is
 * missing when run on a terminal, fails with the usage otherwise (scripts and CI never hang).
 * @param argv - the arguments after the command name
 * @param io - output, working folder, environment and terminal
 * @returns the exit code: 0 done, 1 failed, 2 usage error
 */
export async function runCreate(argv: readonly string[], io: CreateIo): Promise<number> {
  try {
    return await create(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`create-twiml-guard: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ScaffoldError) {
      io.err(`create-twiml-guard: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function create(argv: readonly string[], io: CreateIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      // Collected, so a repeated flag is refused rather than the last one taken silently (as `twiml-guard new` does).
      options: {
        template: { type: 'string', multiple: true },
        cloud: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  for (const flag of ['template', 'cloud'] as const) {
    if ((parsed.values[flag]?.length ?? 0) > 1) throw new UsageError(`--${flag} given twice`);
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) throw new UsageError(`one directory, please (got ${parsed.positionals.join(', ')})`);
  let dir = parsed.positionals[0];
  let template = parsed.values.template?.[0];
  let cloudName = parsed.values.cloud?.[0];

  const templatesDir = io.env[TEMPLATES_DIR_ENV] ? resolve(io.cwd, io.env[TEMPLATES_DIR_ENV]!) : findTemplatesDir();
  const templates = listTemplates(templatesDir);
  if (template !== undefined && !templates.includes(template))
    throw new UsageError(`unknown template "${template}" (templates: ${templates.join(', ')})`);
  if (cloudName !== undefined && !isCloud(cloudName)) throw new UsageError(`unknown cloud "${cloudName}" (clouds: ${CLOUDS.join(', ')})`);

  const missing = [template === undefined && '--template', cloudName === undefined && '--cloud', dir === undefined && '<dir>'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    if (!io.terminal) throw new UsageError(`missing ${missing.join(', ')} (not a terminal, so nothing is asked)`);
    const prompter = createPrompter(io.terminal);
    try {
      template ??= await prompter.choose('Which template?', templates);
      cloudName ??= await prompter.choose('Which cloud?', cloudsOf(templatesDir, template));
      dir ??= await prompter.ask('Directory for the project?', `my-${template}`);
    } finally {
      prompter.close();
    }
  }
  const cloud = cloudName as Cloud;
  const result = scaffoldProject({
    template: template!,
    cloud,
    targetDir: resolve(io.cwd, dir!),
    templatesDir,
    version: packageJson.version,
  });
  io.out(`Created ${result.targetDir}: ${template} on ${cloudInfo(cloud).title} (${result.files.length} files).`);
  io.out('\nNext steps:');
  for (const step of nextSteps(dir!, cloud)) io.out(`  ${step}`);
  io.out('\nREADME.md says where the auth token goes and which URL to paste into the Twilio console.');
  return 0;
}
