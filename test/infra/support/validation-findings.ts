/** Runs @aws/cloudformation-validate on a template file and sorts its findings into failures and warnings. */
import { TemplateFile, type Engine, type StandardDiagnostic, type ValidateConfig } from '@aws/cloudformation-validate';

export interface ValidationFindings {
  /** ERROR and FATAL: a template with any of these would not deploy (or deploys something broken). */
  readonly failures: readonly string[];
  /** WARN: reported, deliberately not failing the test. */
  readonly warnings: readonly string[];
}

const failingSeverities = new Set(['ERROR', 'FATAL']);

function describe(diagnostic: StandardDiagnostic): string {
  const where = [diagnostic.entity?.logicalId, diagnostic.propertyPath].filter(Boolean).join(' ');
  return `${diagnostic.severity} ${diagnostic.ruleId} ${where}: ${diagnostic.message}`;
}

export function validateTemplateFile(engine: Engine, path: string, config: Omit<ValidateConfig, 'severityLevel'> = {}): ValidationFindings {
  const report = engine.validateStandard(new TemplateFile(path), { ...config, severityLevel: 'WARN' });
  // A pipeline failure must not pass as "no findings".
  if (report.status === 'ERROR') return { failures: [`validator pipeline failed on ${path}`], warnings: [] };
  return {
    failures: report.diagnostics.filter((d) => failingSeverities.has(d.severity)).map(describe),
    warnings: report.diagnostics.filter((d) => d.severity === 'WARN').map(describe),
  };
}
