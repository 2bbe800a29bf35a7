/** A `Logger` that keeps every entry, so tests can assert on log lines and scan them for secrets. */
import type { LogEntry, Logger } from '@twiml-guard/core';
import { scanLogLine } from './log-guard.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface CapturedEntry {
  readonly level: LogLevel;
  readonly entry: LogEntry;
}

export interface CapturingLogger extends Logger {
  readonly entries: CapturedEntry[];
  /** Entries of one level. */
  at(level: LogLevel): LogEntry[];
  /** Every entry serialised, one JSON line each: what a log scanner would see. */
  text(): string;
  clear(): void;
}

export function capturingLogger(): CapturingLogger {
  const entries: CapturedEntry[] = [];
  const record = (level: LogLevel) => (entry: LogEntry) => {
    entries.push({ level, entry });
    scanLogLine(JSON.stringify(entry));
  };
  return {
    entries,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    at: (level) => entries.filter((captured) => captured.level === level).map((captured) => captured.entry),
    text: () => entries.map((captured) => JSON.stringify({ level: captured.level, ...captured.entry })).join('\n'),
    clear: () => {
      entries.length = 0;
    },
  };
}
