/** The one method token sources need from an AWS SDK v3 client, so tests and users can inject their own. */
export interface AwsSdkClientLike {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

/** Secrets come back as `SecretString`, or `SecretBinary` bytes (base64 text when read through the extension). */
export function secretText(output: { SecretString?: unknown; SecretBinary?: unknown }): string | undefined {
  if (typeof output.SecretString === 'string') return output.SecretString;
  if (output.SecretBinary instanceof Uint8Array) return Buffer.from(output.SecretBinary).toString('utf8');
  if (typeof output.SecretBinary === 'string') return Buffer.from(output.SecretBinary, 'base64').toString('utf8');
  return undefined;
}
