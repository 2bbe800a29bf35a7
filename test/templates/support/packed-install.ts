/**
 * What `npm install` gives a generated project, without a registry: the workspace packages packed
 * with `npm pack` (as they would be published) and installed as tarballs, next to the exact
 * third-party versions the project names, from npm's cache where it has them (`--prefer-offline`).
 * One install per cloud, shared by that cloud's projects in sub-folders; nothing is linked.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './bundle-scripts.js';

const run = promisify(execFile);

/** The npm_* variables of the `npm test` running jest would point npm at the monorepo. */
export function cleanNpmEnv(): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name, value]) => !name.toLowerCase().startsWith('npm_') && value !== undefined),
  ) as Record<string, string>;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

async function npm(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('npm', [...args], { cwd, env: cleanNpmEnv(), maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `npm ${args.join(' ')} failed in ${cwd}:\n${`${failure.stdout ?? ''}\n${failure.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n')}`,
    );
  }
}

/**
 * `npm pack` of the @twiml-guard/* workspaces into `dir`; returns package name → tarball path. Packs what
 * `npm test` just built (--ignore-scripts): a prepack build would rewrite dist/ while other test files read it.
 */
export async function packWorkspaces(dir: string, names: readonly string[]): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true });
  const stdout = await npm(
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir, ...names.flatMap((name) => ['--workspace', name])],
    ROOT,
  );
  const packed = JSON.parse(stdout) as { name: string; filename: string }[];
  return new Map(packed.map(({ name, filename }) => [name, join(dir, filename)]));
}

/** Installs into `dir` every dependency the projects' package.json files name: @twiml-guard/* from `tarballs`, the rest at their exact versions. */
export async function installFor(dir: string, projectManifests: readonly string[], tarballs: ReadonlyMap<string, string>): Promise<void> {
  const wanted = new Map<string, string>();
  for (const path of projectManifests) {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      const tarball = tarballs.get(name);
      if (name.startsWith('@twiml-guard/') && !tarball) throw new Error(`${path} needs ${name}, which was not packed`);
      wanted.set(name, tarball ?? `${name}@${version}`);
    }
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'generated-projects', private: true }));
  await npm(['install', '--prefer-offline', '--no-save', '--no-package-lock', ...wanted.values()], dir);
}
