/**
 * Structured logging: one JSON line on stderr per rejected request, unless the user brings a logger.
 * Where there is no `process.stderr` (Workers, Vercel Edge, browsers) the line goes to `console`.
 */

export interface LogEntry {
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface Logger {
  info(entry: LogEntry): void;
  warn(entry: LogEntry): void;
  error(entry: LogEntry): void;
}

interface WritableStderr {
  write(line: string): unknown;
}

/** Looked up on every line: a runtime may add or replace `process` after load (and the tests do). */
function stderrStream(): WritableStderr | undefined {
  try {
    const stderr = (globalThis as { process?: { stderr?: Partial<WritableStderr> } }).process?.stderr;
    return typeof stderr?.write === 'function' ? (stderr as WritableStderr) : undefined;
  } catch {
    return undefined;
  }
}

function writeLine(level: 'info' | 'warn' | 'error', entry: LogEntry): void {
  const line = JSON.stringify({ level, source: 'twiml-guard', ...entry });
  const stderr = stderrStream();
  if (stderr) stderr.write(`${line}\n`);
  else console[level](line);
}

export const stderrJsonLogger: Logger = {
  info: (entry) => writeLine('info', entry),
  warn: (entry) => writeLine('warn', entry),
  error: (entry) => writeLine('error', entry),
};

/** Errors are logged by name, message and stack; never by their enumerable fields, which may hold request data. */
export function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'NonError', message: String(error) };
}
