/**
 * `twiml-guard new`: copies `templates/<name>/` (its shared files such as `handler.ts`, plus the
 * chosen cloud's folder; the other clouds' folders are left out) into a new directory and points
 * every copied package.json at published `@twiml-guard/*` versions instead of the workspace.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

export type Cloud = 'aws' | 'azure' | 'gcp' | 'twilio' | 'cloudflare';
export const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp', 'twilio', 'cloudflare'];

/** Build output, installs and the monorepo's own tests of the template stay behind. */
const SKIPPED_NAMES = new Set(['node_modules', 'dist', '.serverless', 'cdk.out', '.esbuild', '.twiliodeployinfo', 'coverage']);
const SKIPPED_FILE = /\.test\.[cm]?[jt]s$/;

export interface ScaffoldOptions {
  readonly template: string;
  readonly cloud: Cloud;
  /** Where the project goes; must not exist or be empty. */
  readonly targetDir: string;
  /** The folder holding `<template>/`. */
  readonly templatesDir: string;
  /** The version `@twiml-guard/*` dependencies get, e.g. `0.1.0` (written as `^0.1.0`). */
  readonly version: string;
}

export interface ScaffoldResult {
  readonly targetDir: string;
  /** Copied files, relative to `targetDir`, `/`-separated. */
  readonly files: readonly string[];
  /** The package.json files whose `@twiml-guard/*` versions were rewritten. */
  readonly rewrittenPackageJsons: readonly string[];
}

export class ScaffoldError extends Error {}

export function isCloud(name: string): name is Cloud {
  return (CLOUDS as readonly string[]).includes(name);
}

export function listTemplates(templatesDir: string): string[] {
  if (!existsSync(templatesDir)) return [];
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SKIPPED_NAMES.has(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

export function scaffoldProject(options: ScaffoldOptions): ScaffoldResult {
  const { template, cloud } = options;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(template)) throw new ScaffoldError(`"${template}" is not a template name.`);
  if (!isCloud(cloud)) throw new ScaffoldError(`Unknown cloud "${String(cloud)}"; use one of ${CLOUDS.join(', ')}.`);
  const templateDir = join(options.templatesDir, template);
  if (!existsSync(templateDir) || !statSync(templateDir).isDirectory()) {
    const available = listTemplates(options.templatesDir);
    throw new ScaffoldError(`No template "${template}" in ${options.templatesDir}${available.length ? ` (available: ${available.join(', ')})` : ''}.`);
  }
  const cloudDir = join(templateDir, cloud);
  if (!existsSync(cloudDir) || !statSync(cloudDir).isDirectory()) {
    const clouds = CLOUDS.filter((name) => existsSync(join(templateDir, name)));
    throw new ScaffoldError(`Template "${template}" has no ${cloud} variant${clouds.length ? ` (it has: ${clouds.join(', ')})` : ''}.`);
  }
  const targetDir = resolve(options.targetDir);
  if (existsSync(targetDir) && readdirSync(targetDir).length > 0) throw new ScaffoldError(`${targetDir} already exists and is not empty.`);

  const files: string[] = [];
  const rewritten: string[] = [];
  const copyTree = (from: string, to: string, isTemplateRoot: boolean): void => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (SKIPPED_NAMES.has(entry.name)) continue;
      if (isTemplateRoot && entry.isDirectory() && isCloud(entry.name) && entry.name !== cloud) continue;
      const source = join(from, entry.name);
      const destination = join(to, entry.name);
      if (entry.isDirectory()) {
        copyTree(source, destination, false);
      } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
        const relativePath = relative(targetDir, destination).split('\\').join('/');
        if (entry.name === 'package.json') {
          writeFileSync(destination, rewritePackageJson(readFileSync(source, 'utf8'), options.version, relativePath === 'package.json' ? basename(targetDir) : undefined));
          rewritten.push(relativePath);
        } else {
          copyFileSync(source, destination);
        }
        files.push(relativePath);
      }
    }
  };
  copyTree(templateDir, targetDir, true);
  return { targetDir, files: files.sort(), rewrittenPackageJsons: rewritten.sort() };
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** `@twiml-guard/*` → `^version` in every dependency field; the root package gets the project's name. */
export function rewritePackageJson(text: string, version: string, projectName?: string): string {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ScaffoldError('A template package.json is not valid JSON.');
  }
  if (projectName !== undefined) manifest.name = toPackageName(projectName);
  for (const field of DEPENDENCY_FIELDS) {
    const dependencies = manifest[field];
    if (typeof dependencies !== 'object' || dependencies === null) continue;
    for (const name of Object.keys(dependencies)) {
      if (name.startsWith('@twiml-guard/')) (dependencies as Record<string, string>)[name] = `^${version}`;
    }
  }
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  return `${JSON.stringify(manifest, null, indent)}\n`;
}

function toPackageName(directoryName: string): string {
  const name = directoryName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return name || 'twilio-webhook';
}
