// Import time of a CommonJS file in a fresh node process (lib/measure-import.cjs): the time `require`
// takes, measured inside the process, as wall-clock time and as the process's CPU time (user + system,
// all threads), which a busy machine distorts far less: a descheduled process accrues wall time only.
// `preload` modules (a platform library both variants load alike) are required first and not counted.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const measureScript = join(dirname(fileURLToPath(import.meta.url)), 'measure-import.cjs');

/**
 * @typedef {object} ImportTime
 * @property {number} wallMs
 * @property {number} cpuMs
 */

/** @typedef {{ preload?: string[], cwd?: string }} ImportOptions */

/**
 * @param {string} file
 * @param {ImportOptions} [options]
 * @returns {ImportTime}
 */
export function freshImportMs(file, { preload = [], cwd } = {}) {
  const output = execFileSync(process.execPath, [measureScript, file, ...preload], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output);
}

/**
 * Medians over `runs` fresh processes per file, the files taking turns so that a busy moment on the
 * machine hits every variant alike; one uncounted round first warms the file-system cache.
 * @template {[] | string[]} Files
 * @param {Files} files
 * @param {ImportOptions} [options]
 * @returns {{ [K in keyof Files]: ImportTime }}
 */
export function medianFreshImportMs(files, options = {}, runs = 11) {
  for (const file of files) freshImportMs(file, options);
  const times = files.map(() => /** @type {ImportTime[]} */ ([]));
  for (let run = 0; run < runs; run++)
    files.forEach((file, i) => {
      times[i]?.push(freshImportMs(file, options));
    });
  return /** @type {{ [K in keyof Files]: ImportTime }} */ (
    times.map((samples) => ({
      wallMs: median(samples.map((sample) => sample.wallMs)),
      cpuMs: median(samples.map((sample) => sample.cpuMs)),
    }))
  );
}
