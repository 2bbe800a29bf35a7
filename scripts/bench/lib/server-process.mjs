// Starts a server as a child process in its own process group, waits until its output says it is
// ready, and stops the whole group (workers included) afterwards, also if the bench fails midway.
import { spawn } from 'node:child_process';

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * @typedef {object} ServerOptions
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {NodeJS.ProcessEnv} env
 * @property {(output: string) => string | undefined} ready
 * @property {number} [timeoutMs]
 */

/**
 * @typedef {object} RunningServer
 * @property {string} origin
 * @property {number | undefined} pid
 * @property {() => Promise<unknown>} stop
 * @property {() => string} output
 */

/**
 * `ready(output)` returns the server's origin once the output shows it listening, else undefined.
 * @param {ServerOptions} options
 * @returns {Promise<RunningServer>}
 */
export async function startServer({ command, args, cwd, env, ready, timeoutMs = 60_000 }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return running.delete(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    /** @param {NodeJS.Signals} name */
    const signal = (name) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, name);
      } catch {
        // the group is already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  };
  try {
    const origin = await new Promise(
      /** @param {(origin: string) => void} resolve */ (resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${args.join(' ')} not ready within ${timeoutMs / 1000} s:\n${output}`)),
          timeoutMs,
        );
        let listening = false;
        /** @param {Buffer} chunk */
        const onData = (chunk) => {
          if (listening) return; // keep draining the pipes, stop keeping what the server logs per request
          output += chunk.toString('utf8');
          const found = ready(output);
          if (found) {
            listening = true;
            clearTimeout(timer);
            resolve(found);
          }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`));
        });
      },
    );
    return { origin, pid: child.pid, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A port that was free a moment ago on 127.0.0.1, for servers that must be told theirs up front. */
export async function freePort() {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}
