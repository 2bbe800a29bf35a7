/**
 * Reads a CloudFormation template through the validator's own parser (short-form YAML tags included)
 * and turns its resolved values into plain JSON, so tests can assert on structure without a YAML library.
 */
import { TemplateFile, TemplateModel, type ResolvedValue } from '@aws/cloudformation-validate';

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

export interface PlainResource {
  readonly type: string;
  readonly condition: string | undefined;
  readonly properties: Record<string, Plain>;
}

export interface PlainTemplate {
  readonly resources: Record<string, PlainResource>;
  readonly outputs: Record<string, Plain>;
  readonly parameters: readonly string[];
  readonly conditions: readonly string[];
}

/** Ref → {Ref}, GetAtt → {'Fn::GetAtt'}, If → {'Fn::If'}; values only known at deploy time → {Dynamic: why}. */
export function toPlain(value: ResolvedValue): Plain {
  if ('Concrete' in value) return value.Concrete.value as Plain;
  if ('List' in value) return value.List.items.map(toPlain);
  if ('Map' in value) return Object.fromEntries(value.Map.entries.map((entry) => [entry.key, toPlain(entry.value)]));
  if ('Enum' in value) return { Enum: value.Enum.variants.map(toPlain) };
  if ('Conditional' in value) {
    const { condition, if_true, if_false } = value.Conditional;
    return { 'Fn::If': [condition, toPlain(if_true), toPlain(if_false)] };
  }
  if ('Reference' in value) {
    const { target, kind } = value.Reference;
    if (kind === 'REF') return { Ref: target };
    if (kind === 'DEPENDS_ON') return { DependsOn: target };
    if ('GET_ATT' in kind) return { 'Fn::GetAtt': [target, kind.GET_ATT.attr] };
    return { 'Fn::Sub': `${target}.${kind.SUB.var}` };
  }
  if ('TypedDynamic' in value) return { Dynamic: value.TypedDynamic.reason };
  return { Dynamic: value.Dynamic.reason };
}

export function readTemplate(path: string): PlainTemplate {
  const model = new TemplateModel(new TemplateFile(path));
  try {
    const resources: Record<string, PlainResource> = {};
    for (const [logicalId, resource] of Object.entries(model.resources())) {
      resources[logicalId] = {
        type: resource.resourceType,
        condition: resource.condition ?? undefined,
        properties: Object.fromEntries(Object.entries(resource.properties).map(([key, v]) => [key, toPlain(v)])),
      };
    }
    const outputs = Object.fromEntries(Object.entries(model.outputs()).map(([key, output]) => [key, toPlain(output.value)]));
    return { resources, outputs, parameters: Object.keys(model.parameters()), conditions: model.conditions() };
  } finally {
    model.free();
  }
}
