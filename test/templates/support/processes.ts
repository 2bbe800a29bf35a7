/** Child processes the template tests start: free ports, readiness by output, and a stop that always runs. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export { freePort } from '@twiml-guard/test-support/loopback';

export interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Every process started by this test file, so afterAll can stop even those that never became ready. */
export class ProcessGroup {
  private readonly children: ChildProcess[] = [];

  /** Spawns in its own process group and resolves once `ready` appears in stdout/stderr. */
  async start(command: string, args: readonly string[], options: SpawnOptions, ready: string, timeoutMs = 45_000): Promise<Started> {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`));
      });
    });
    return { child, output: () => output };
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map(stopGroup));
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Resolves once a process's captured output matches (its log line may trail the HTTP response it wrote first). */
export async function outputMatching(output: () => string, pattern: RegExp, waitMs = 10_000): Promise<string> {
  const deadline = Date.now() + waitMs;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) return output();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return output();
}
