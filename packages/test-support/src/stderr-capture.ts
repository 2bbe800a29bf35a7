/** Collects everything written to process.stderr (the default logger's destination) while a test runs. */

export interface StderrCapture {
  /** Everything written so far, as text. */
  text(): string;
  /** The JSON lines written so far, parsed; non-JSON lines are skipped. */
  jsonLines(): Record<string, unknown>[];
  restore(): void;
}

export function captureStderr(): StderrCapture {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return {
    text: () => chunks.join(''),
    jsonLines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}
