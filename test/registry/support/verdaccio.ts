/**
 * A real npm registry for the test: Verdaccio from this repository's devDependencies, on 127.0.0.1,
 * with its own storage folder. The packages this repository publishes have no uplink (they can only
 * come from here); nothing else is served. Stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../templates/support/processes.js';

export interface Registry {
  readonly url: string;
  readonly pid: number;
  /** A publish token for a user created through the registry's own login endpoint. */
  readonly token: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startVerdaccio(root: string, workDir: string, ownPackages: readonly string[]): Promise<Registry> {
  const storage = join(workDir, 'storage');
  mkdirSync(storage, { recursive: true });
  const rules = ownPackages.map((name) => `  '${name}':\n    access: $all\n    publish: $all\n`).join('');
  const config = join(workDir, 'config.yaml');
  writeFileSync(
    config,
    `storage: ${JSON.stringify(storage)}\nauth:\n  htpasswd:\n    file: ${JSON.stringify(join(workDir, 'htpasswd'))}\n    max_users: 10\nuplinks: {}\npackages:\n${rules}log: { type: stdout, format: pretty, level: warn }\n`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'node_modules/verdaccio/bin/verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', HOME: workDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitUntilServing(
      url,
      () => child.exitCode !== null,
      () => output,
    );
    const response = await fetch(`${url}-/user/org.couchdb.user:e2e`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e', password: `e2e-${process.pid}-${Date.now()}` }),
    });
    const answer = (await response.json()) as { token?: string };
    if (!response.ok || !answer.token) throw new Error(`creating the registry user failed: ${response.status} ${JSON.stringify(answer)}`);
    return { url, pid: child.pid!, token: answer.token, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilServing(url: string, hasExited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited()) throw new Error(`verdaccio exited before serving:\n${output()}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer /-/ping within 60 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
