/**
 * Structured logging: one JSON line on stderr per rejected request, unless the user brings a logger.
 * Where there is no `process.stderr` (Workers, Vercel Edge, browsers) the line goes to `console`.
 */

/** One log line: a message and fields. Never a token, a signature or a password. */
export interface LogEntry {
  readonly msg: string;
  readonly [field: string]: unknown;
}

/**
 * Where twiml-guard writes its log lines: pass your own (pino, console, Powertools Logger...) as the
 * `logger` option. A logger that throws is ignored; the request is answered all the same.
 *
 * @example
 * ```ts
 * import { twilioWebhook } from '@twiml-guard/aws-lambda'; // or any adapter
 *
 * export const handler = twilioWebhook(handleSms, { logger: { info: console.info, warn: console.warn, error: console.error } });
 * ```
 */
export interface Logger {
  /** Accepted requests' notes (duplicates replayed, a first call without credentials). */
  info(entry: LogEntry): void;
  /** Refused requests and configuration warnings. */
  warn(entry: LogEntry): void;
  /** Failures: a handler that threw, a store that is down, a missing token. */
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

/** `console[level]`, else `console.log`, else nothing: some embedders give a console without warn/error, or none. */
function consoleLine(level: 'info' | 'warn' | 'error', line: string): void {
  const sink = (globalThis as { console?: Partial<Record<'info' | 'warn' | 'error' | 'log', unknown>> }).console;
  const write = typeof sink?.[level] === 'function' ? sink[level] : sink?.log;
  if (typeof write === 'function') (write as (text: string) => void).call(sink, line);
}

function writeLine(level: 'info' | 'warn' | 'error', entry: LogEntry): void {
  const line = JSON.stringify({ level, source: 'twiml-guard', ...entry });
  const stderr = stderrStream();
  try {
    if (stderr) {
      stderr.write(`${line}\n`);
      return;
    }
  } catch {
    // A closed or broken stderr (EPIPE): the console may still reach the platform's log.
  }
  try {
    consoleLine(level, line);
  } catch {
    // Nowhere left to write: the request is answered all the same.
  }
}

/** The default logger: one JSON line per entry on stderr (on `console` where there is no stderr). */
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

/**
 * The logger as the request path uses it: a line that cannot be written (a user logger that throws, a
 * log sink that is down) is dropped, so it never turns a 403 into a 500 or a rejected promise.
 */
export function neverThrowingLogger(logger: Logger): Logger {
  const guarded =
    (level: keyof Logger) =>
    (entry: LogEntry): void => {
      try {
        logger[level](entry);
      } catch {
        // Dropped on purpose: see above.
      }
    };
  return { info: guarded('info'), warn: guarded('warn'), error: guarded('error') };
}
