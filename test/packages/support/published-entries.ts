/**
 * The entries users import: every published workspace package and each subpath its package.json
 * `exports` lists (read from the manifest, so a new subpath is covered without touching a test), with
 * the ESM declaration file (`.d.mts`) its `import` condition names. Shared by the TSDoc tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ts from 'typescript';
import { ROOT } from './packed-packages';

export interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

export interface PublishedPackage {
  /** The folder under `packages/`, e.g. `aws-lambda`. */
  folder: string;
  manifest: Manifest;
}

export interface Entry {
  /** The import specifier a user writes, e.g. `@twiml-guard/aws-lambda/rotation`. */
  specifier: string;
  /** The `.d.mts` file the `import` condition resolves to. */
  file: string;
}

/** The workspace packages that are published (a private workspace, such as shared test helpers, is not). */
export function publishedPackages(): PublishedPackage[] {
  return readdirSync(join(ROOT, 'packages'))
    .map((folder) => ({ folder, manifest: JSON.parse(readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** Every `types` target under an export's conditions that ends in `.d.mts` (the ESM declarations). */
function esmTypes(target: unknown): string[] {
  if (target === null || typeof target !== 'object') return [];
  return Object.entries(target).flatMap(([condition, value]) =>
    condition === 'types' && typeof value === 'string' ? (value.endsWith('.d.mts') ? [value] : []) : esmTypes(value),
  );
}

/** Each package's entries, with their declaration files under `<nodeModules>/<package name>/`. */
export function publishedEntries(nodeModules: string, packages: readonly { manifest: Manifest }[]): Entry[] {
  return packages.flatMap(({ manifest }) =>
    Object.entries(manifest.exports ?? {})
      .filter(([subpath]) => subpath !== './package.json')
      .flatMap(([subpath, target]) =>
        [...new Set(esmTypes(target))].map((types) => ({
          specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`,
          file: join(nodeModules, manifest.name, types),
        })),
      ),
  );
}

/** An entry whose declaration file opens with a comment tagged `@internal` (plumbing for adapters, not for users). */
export function isInternalEntry(source: ts.SourceFile): boolean {
  const first = source.statements[0];
  const opening = source.text.slice(0, first ? first.getStart(source) : source.text.length);
  return /\/\*\*[\s\S]*?@internal\b[\s\S]*?\*\//.test(opening);
}
