/** API Gateway stages in paths: named stages appear as the first segment on execute-api hosts; `$default` never does. */

export function isNamedStage(stage: unknown): stage is string {
  return typeof stage === 'string' && stage !== '' && stage !== '$default';
}

/** `path` without its leading `/{stage}`, or `undefined` when it does not start with it. */
export function withoutStage(path: string, stage: unknown): string | undefined {
  if (!isNamedStage(stage)) return undefined;
  const prefix = `/${stage}`;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}
