/**
 * Starts the runtime-test app in each real runtime, bound to 127.0.0.1 on a free port: workerd
 * (through Miniflare), edge-runtime (Vercel's Edge runtime), and the Deno and Bun binaries from npm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { bundle, CONDITIONS, tempDir, writeProject } from './bundle';
import type { AppConfig } from '../fixtures/app';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');

export interface RunningApp {
  readonly url: string;
  /** What the runtime wrote to stdout and stderr so far (log lines of refused requests land here). */
  output(): string;
  stop(): Promise<void>;
}

export interface WorkerdOptions {
  readonly compatibilityDate: string;
  readonly compatibilityFlags: readonly string[];
}

export async function startWorkerd(config: AppConfig, options: WorkerdOptions): Promise<RunningApp> {
  const { Log, LogLevel, Miniflare } = await import('miniflare');
  const script = await bundle(writeProject(tempDir('workerd'), config), { conditions: CONDITIONS.workerd, format: 'esm' });
  let output = '';
  class CapturingLog extends Log {
    override log(message: string): void {
      output += `${message}\n`;
    }
  }
  const miniflare = new Miniflare({
    modules: true,
    script,
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: [...options.compatibilityFlags],
    host: '127.0.0.1',
    port: 0,
    log: new CapturingLog(LogLevel.INFO),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    },
  });
  const url = await miniflare.ready;
  return { url: url.origin, output: () => output, stop: () => miniflare.dispose() };
}

export async function startEdgeRuntime(config: AppConfig): Promise<RunningApp> {
  const { EdgeRuntime, runServer } = await import('edge-runtime');
  // The Edge runtime takes a script: the app as an IIFE, answering `fetch` events.
  const script = await bundle(
    writeProject(tempDir('edge'), config, 'addEventListener("fetch", (event) => event.respondWith(app.fetch(event.request)));\n'),
    {
      conditions: CONDITIONS.edgeLight,
      format: 'iife',
    },
  );
  let output = '';
  const runtime = new EdgeRuntime({ initialCode: script });
  // The runtime's console goes to the host's; keep a copy of what the app logs.
  const console = runtime.context.console as Console;
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      output += `${args.map(String).join(' ')}\n`;
      void original;
    };
  }
  const server = await runServer({ runtime, host: '127.0.0.1', port: 0 });
  return { url: new URL(server.url).origin, output: () => output, stop: () => server.close() };
}

/** Deno with `--allow-net` and nothing else: no environment, no file system access. */
export async function startDeno(config: AppConfig): Promise<RunningApp> {
  const dir = tempDir('deno');
  const code = await bundle(writeProject(dir, config), { conditions: CONDITIONS.deno, format: 'esm' });
  writeFileSync(join(dir, 'app.mjs'), code);
  writeFileSync(
    join(dir, 'server.mjs'),
    `import app from './app.mjs';\nDeno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log('listening ' + port) }, (request) => app.fetch(request));\n`,
  );
  return spawnServer(join(BIN, 'deno'), ['run', '--allow-net', '--no-prompt', '--no-config', '--no-lock', join(dir, 'server.mjs')], {
    DENO_DIR: join(dir, 'deno-dir'),
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
  });
}

/** Bun runs the TypeScript app from source and resolves `@twiml-guard/fetch` itself (its `bun` condition). */
export async function startBun(config: AppConfig): Promise<RunningApp> {
  const dir = tempDir('bun');
  const entry = writeProject(
    dir,
    config,
    `const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => app.fetch(request) });\nconsole.log('listening ' + server.port);\n`,
  );
  return spawnServer(join(BIN, 'bun'), ['run', entry], { NO_COLOR: '1' });
}

/**
 * A runtime binary whose server prints `listening <port>` (or what `ready` matches, the port as its
 * first group); the environment holds nothing of ours but `env`. Its own process group, so
 * stopping it stops whatever it forked.
 */
export function spawnServer(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready = /listening (\d+)/,
  cwd?: string,
): Promise<RunningApp> {
  const child: ChildProcess = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(cwd ? { cwd } : {}),
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${command} did not start: ${why}\n${output}`));
    };
    const timer = setTimeout(() => fail('no "listening" line within 60 s'), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              killGroup(child, 'SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready.test(output)) reject(new Error(`${command} exited with ${code}\n${output}`));
    });
    child.once('error', (error) => fail(error.message));
  });
}

/** The child and everything it forked (its own process group); nothing else. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
