#!/usr/bin/env node
/** The `create-twiml-guard` executable (what `npm create twiml-guard` runs): wires the command to this process. */
import { runCreate } from './create-command.js';

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

runCreate(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  env: process.env,
  ...(interactive ? { terminal: { input: process.stdin, output: process.stdout } } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`create-twiml-guard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
