/**
 * The runtimes the demo starts: each in its own process group (runtimes fork workers), so stopping
 * one means signalling the whole group: SIGTERM, then SIGKILL for whatever is left after a grace period.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAX_OUTPUT_CHARS = 256 * 1024;
const LIFELINE = fileURLToPath(new URL('./exit-with-parent.cjs', import.meta.url));
const STOP_GRACE_MS = 3000;

/**
 * A process group the demo started.
 * @typedef {{ name: string, child: import('node:child_process').ChildProcess, exitedPromise: Promise<unknown> }} TrackedProcess
 */

/**
 * A runtime: its output so far, who listens to it, and when it is ready.
 * @typedef {TrackedProcess & { output: string, listeners: Set<(text: string) => void>, ready: Promise<void> }} RuntimeHandle
 */

/**
 * Every group started and not yet stopped: what `stopAll` (and the exit handler) must stop.
 * @type {Set<TrackedProcess>}
 */
const running = new Set();

/**
 * @param {{ name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv,
 *           isReady: (output: string) => boolean, timeoutMs: number }} spec
 * @returns {RuntimeHandle}
 */
export function startProcess(spec) {
  // Node runtimes get the lifeline preload; fd 3 is its pipe, closed by the kernel when the demo dies.
  const args = spec.command === process.execPath ? ['-r', LIFELINE, ...spec.args] : spec.args;
  const env = { ...spec.env, TWIML_GUARD_DEMO_LIFELINE: '1' };
  const child = spawn(spec.command, args, { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const handle = /** @type {RuntimeHandle} ready is set right below */ ({
    name: spec.name,
    child,
    output: '',
    listeners: new Set(),
    exitedPromise: new Promise((resolve) => child.once('exit', resolve)),
  });
  running.add(handle);

  handle.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${Math.round(spec.timeoutMs / 1000)} s`)), spec.timeoutMs);
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      const text = chunk.toString('utf8');
      handle.output = (handle.output + text).slice(-MAX_OUTPUT_CHARS);
      for (const listener of handle.listeners) listener(text);
      if (spec.isReady(handle.output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? `code ${code}`}) before it was ready`));
    });
  });
  handle.ready.catch(() => undefined); // observed by the caller; never an unhandled rejection
  return handle;
}

/**
 * @param {TrackedProcess} handle
 * @param {NodeJS.Signals} signal
 */
function signalGroup(handle, signal) {
  const { pid } = handle.child;
  if (pid === undefined) return; // never spawned: no group
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** @param {TrackedProcess} handle */
export async function stopProcess(handle) {
  if (!running.has(handle)) return;
  running.delete(handle);
  if (handle.child.pid === undefined) return;
  signalGroup(handle, 'SIGTERM');
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  await Promise.race([handle.exitedPromise, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
  clearTimeout(timer);
  // Workers may outlive their leader: whatever is left in the group goes now.
  signalGroup(handle, 'SIGKILL');
}

export function stopAll() {
  return Promise.all([...running].map(stopProcess));
}

/** Last resort when the demo exits without `stopAll` having run (process.exit, a crash): no waiting possible. */
export function killAllNow() {
  for (const handle of running) if (handle.child.pid !== undefined) signalGroup(handle, 'SIGKILL');
  running.clear();
}

/**
 * Runs a command to completion (a template's bundle step) and resolves with its output; rejects on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {Promise<string>}
 */
export function runToCompletion(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Tracked like a runtime, so Ctrl-C during a build stops it too.
    const handle = { name: command, child, exitedPromise: new Promise((done) => child.once('exit', done)) };
    running.add(handle);
    let output = '';
    child.stdout?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk));
    child.stderr?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk));
    child.once('error', (error) => {
      running.delete(handle);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      running.delete(handle);
      if (code === 0) resolve(output);
      else reject(new Error(`${[command, ...args].join(' ')} failed (${signal ?? `code ${code}`}):\n${output}`));
    });
  });
}
