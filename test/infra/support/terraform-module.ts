/**
 * Reads every .tf file of a Terraform module through @cdktf/hcl2json (HashiCorp's HCL parser compiled to
 * WASM) and lists which references in its expressions point at nothing declared in the module.
 * Syntax and in-module references only: no provider schemas, no `terraform validate`.
 */
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Blocks = Record<string, Record<string, Array<Record<string, unknown>>>>;

export interface TerraformModule {
  readonly files: readonly string[];
  /** resource type → name → body */
  readonly resources: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
  readonly variables: Record<string, Record<string, unknown>>;
  readonly locals: Record<string, unknown>;
  readonly outputs: Record<string, Record<string, unknown>>;
}

function firstBodies(blocks: Blocks | undefined, into: Record<string, Record<string, Record<string, unknown>>>): void {
  for (const [type, byName] of Object.entries(blocks ?? {})) {
    into[type] ??= {};
    for (const [name, bodies] of Object.entries(byName)) into[type]![name] = bodies[0]!;
  }
}

export async function readTerraformModule(dir: string): Promise<TerraformModule> {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.tf'))
    .sort();
  const module = { files, resources: {}, data: {}, variables: {}, locals: {}, outputs: {} } as TerraformModule;
  for (const file of files) {
    const json = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Record<string, unknown>;
    firstBodies(json.resource as Blocks | undefined, module.resources);
    firstBodies(json.data as Blocks | undefined, module.data);
    for (const [name, bodies] of Object.entries((json.variable ?? {}) as Record<string, Array<Record<string, unknown>>>)) {
      module.variables[name] = bodies[0]!;
    }
    for (const [name, bodies] of Object.entries((json.output ?? {}) as Record<string, Array<Record<string, unknown>>>)) {
      module.outputs[name] = bodies[0]!;
    }
    for (const block of (json.locals ?? []) as Array<Record<string, unknown>>) Object.assign(module.locals, block);
  }
  return module;
}

function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* stringsIn(item);
}

// Names Terraform provides itself.
const builtInRoots = new Set(['each', 'count', 'self', 'path', 'terraform']);

function resolves(module: TerraformModule, reference: string): boolean {
  const [root, second, third] = reference.split('.');
  // One bare word is a type (`string`) or a provider alias (`google-beta`), not an address.
  if (!root || second === undefined || builtInRoots.has(root)) return true;
  if (root === 'var') return second !== undefined && second in module.variables;
  if (root === 'local') return second !== undefined && second in module.locals;
  if (root === 'data') return second !== undefined && third !== undefined && third in (module.data[second] ?? {});
  return second !== undefined && second in (module.resources[root] ?? {});
}

/** Every reference (var., local., data., resource) in any expression of the module that is not declared. */
export async function unresolvedReferences(module: TerraformModule): Promise<string[]> {
  const everything = [module.resources, module.data, module.variables, module.locals, module.outputs];
  const unresolved = new Set<string>();
  for (const text of stringsIn(everything)) {
    if (!text.includes('${')) continue;
    for (const reference of await getReferencesInExpression('expression.tf', text)) {
      if (!resolves(module, reference.value)) unresolved.add(reference.value);
    }
  }
  return [...unresolved].sort();
}
