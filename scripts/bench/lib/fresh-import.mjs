// Import time of a CommonJS file in a fresh node process: the time `require` takes, measured inside it.
// Before the clock starts, the process requires one empty file (the module loader's own first-use
// cost, which every platform runtime has paid before it loads the handler) and the `preload` modules
// (a platform library both variants load alike, when the row says so).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.mjs';

const loaderWarmup = join(tmpdir(), 'twiml-guard-bench-empty.cjs');

export function freshImportMs(file, { preload = [], cwd } = {}) {
  const script = [
    `require(${JSON.stringify(loaderWarmup)});`,
    ...preload.map((name) => `require(${JSON.stringify(name)});`),
    'const start = process.hrtime.bigint();',
    `require(${JSON.stringify(file)});`,
    'process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));',
    // Some platform libraries keep handles open (timers, sockets); the measurement is done.
    'process.exit(0);',
  ].join('\n');
  const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(output);
}

/**
 * Medians over `runs` fresh processes per file, the files taking turns so that a busy moment on the
 * machine hits every variant alike; one uncounted round first warms the file-system cache.
 */
export function medianFreshImportMs(files, options = {}, runs = 11) {
  mkdirSync(tmpdir(), { recursive: true });
  writeFileSync(loaderWarmup, '');
  for (const file of files) freshImportMs(file, options);
  const times = files.map(() => []);
  for (let run = 0; run < runs; run++) files.forEach((file, i) => times[i].push(freshImportMs(file, options)));
  return times.map(median);
}
