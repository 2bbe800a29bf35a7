/**
 * The packages as a user gets them: each workspace packed with `npm pack` and unpacked into a
 * `node_modules` in a temporary folder outside the repository, so nothing resolves through the
 * monorepo. dist/ is built once if a checkout has none (`npm test` builds it first); packing skips
 * the prepack build so tests running side by side never rebuild a dist/ another test is reading
 * (`npm run check:packages` packs with the prepack build).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');

/** Unpacks the named packages (`core`, `aws-lambda`, …) into `<folder>/node_modules/@twiml-guard/<name>`. */
export function installPackedPackages(folder: string, names: readonly string[]): void {
  const missing = names.filter((name) => !existsSync(join(ROOT, 'packages', name, 'dist/index.cjs')));
  if (missing.length > 0) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), ...missing], { cwd: ROOT, stdio: 'ignore' });
  const packs = mkdtempSync(join(tmpdir(), 'twiml-guard-tarballs-'));
  try {
    for (const name of names) {
      const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], {
        cwd: join(ROOT, 'packages', name),
        encoding: 'utf8',
      });
      const [packed] = JSON.parse(output) as { name: string; filename: string }[];
      const target = join(folder, 'node_modules', packed!.name);
      mkdirSync(target, { recursive: true });
      execFileSync('tar', ['-xzf', join(packs, packed!.filename), '-C', target, '--strip-components=1']);
    }
  } finally {
    rmSync(packs, { recursive: true, force: true });
  }
}

/** Copies an installed package (and nothing it depends on) from the monorepo's node_modules, as `npm install` would place it. */
export function copyInstalledPackage(folder: string, name: string): void {
  cpSync(join(ROOT, 'node_modules', name), join(folder, 'node_modules', name), { recursive: true, dereference: true });
}
