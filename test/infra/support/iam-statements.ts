/** Flattens the inline policies of an AWS::IAM::Role (as plain JSON) into one list of statements. */
import type { Plain, PlainResource } from './resolved-template.js';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: Plain;
}

function asRecord(value: Plain | undefined): Record<string, Plain> {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function inlineStatements(role: PlainResource): Statement[] {
  const policies = role.properties.Policies;
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((policy) => {
    const statements = asRecord(asRecord(policy).PolicyDocument).Statement;
    return (Array.isArray(statements) ? statements : [statements]).map((s) => asRecord(s) as unknown as Statement);
  });
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? [...statement.Action].sort() : [statement.Action];
}
