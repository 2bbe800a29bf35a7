/** A `Logger` that keeps each entry flat, with its level beside its fields: `entries[0].msg`, `entries[0].level`. */
import type { LogEntry, Logger } from '@twiml-guard/core';

export type FlatLogEntry = LogEntry & { level: string };

export function flatLogger(): Logger & { entries: FlatLogEntry[] } {
  const entries: FlatLogEntry[] = [];
  return {
    entries,
    info: (entry) => entries.push({ level: 'info', ...entry }),
    warn: (entry) => entries.push({ level: 'warn', ...entry }),
    error: (entry) => entries.push({ level: 'error', ...entry }),
  };
}
