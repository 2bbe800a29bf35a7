/**
 * The generated project's one package.json: the template's shared dependencies merged with the
 * chosen cloud's manifest (its scripts, entry point and platform SDKs), every `@twiml-guard/*`
 * as `^<version>` so `npm install` resolves it from the registry.
 */
import { ScaffoldError } from './scaffold-error.js';

type Manifest = Record<string, unknown>;

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;
/** Fields of the template's root manifest that describe the template in the repository, not a project. */
const TEMPLATE_ONLY_FIELDS = new Set(['workspaces', 'scripts', 'name', 'description']);

export function parseManifest(text: string): Manifest {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Manifest;
  } catch {
    throw new ScaffoldError('A template package.json is not valid JSON.');
  }
}

/** `@twiml-guard/*` → `^version` in every dependency field; the root package gets the project's name. */
export function rewritePackageJson(text: string, version: string, projectName?: string): string {
  const manifest = parseManifest(text);
  if (projectName !== undefined) manifest.name = toPackageName(projectName);
  pointAtRegistry(manifest, version);
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  return `${JSON.stringify(manifest, null, indent)}\n`;
}

/** The shared manifest's dependencies under the cloud's; a package the cloud needs at run time stays a runtime dependency only. */
export function mergeManifests(shared: Manifest | undefined, cloud: Manifest, projectName: string, version: string): string {
  const merged: Manifest = { name: toPackageName(projectName), private: true, description: cloud.description ?? shared?.description };
  for (const [field, value] of Object.entries(shared ?? {})) {
    if (!TEMPLATE_ONLY_FIELDS.has(field) && !(DEPENDENCY_FIELDS as readonly string[]).includes(field)) merged[field] = value;
  }
  for (const [field, value] of Object.entries(cloud)) {
    if (field !== 'name' && field !== 'description' && !(DEPENDENCY_FIELDS as readonly string[]).includes(field)) merged[field] = value;
  }
  const claimed = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const combined = { ...asRecord(shared?.[field]), ...asRecord(cloud[field]) };
    for (const name of Object.keys(combined)) {
      if (claimed.has(name)) delete combined[name];
    }
    for (const name of Object.keys(combined)) claimed.add(name);
    if (Object.keys(combined).length > 0)
      merged[field] = Object.fromEntries(Object.entries(combined).sort(([a], [b]) => a.localeCompare(b)));
  }
  pointAtRegistry(merged, version);
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function pointAtRegistry(manifest: Manifest, version: string): void {
  for (const field of DEPENDENCY_FIELDS) {
    const dependencies = manifest[field];
    if (typeof dependencies !== 'object' || dependencies === null) continue;
    for (const name of Object.keys(dependencies)) {
      if (name.startsWith('@twiml-guard/')) (dependencies as Record<string, string>)[name] = `^${version}`;
    }
  }
}

function asRecord(value: unknown): Record<string, string> {
  return typeof value === 'object' && value !== null ? { ...(value as Record<string, string>) } : {};
}

export function toPackageName(directoryName: string): string {
  const name = directoryName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  return name || 'twilio-webhook';
}
