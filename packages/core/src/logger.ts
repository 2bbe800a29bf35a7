/** Structured logging: one JSON line on stderr per rejected request, unless the user brings a logger. */

export interface LogEntry {
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface Logger {
  info(entry: LogEntry): void;
  warn(entry: LogEntry): void;
  error(entry: LogEntry): void;
}

function writeLine(level: string, entry: LogEntry): void {
  process.stderr.write(`${JSON.stringify({ level, source: 'twiml-guard', ...entry })}\n`);
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
