/** A package's CLI as users run it: bundled from its sources with esbuild and executed by node as a child process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Bundles the CLI entry `entry` (a `.ts` source) into `<dir>/cli.cjs`, one CommonJS file; returns its path. */
export async function bundleCli(entry: string, dir: string): Promise<string> {
  const cliPath = join(dir, 'cli.cjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: cliPath, logLevel: 'silent' });
  return cliPath;
}

export interface CliRunOptions {
  readonly cwd: string;
  /** Added to a clean environment (PATH only): the developer's own TWILIO_AUTH_TOKEN never reaches a test. */
  readonly env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. */
  readonly input?: string;
}

/** Runs the bundled CLI at `cliPath` with `args` and resolves with its exit code and output once it closes. */
export function runCli(cliPath: string, args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
