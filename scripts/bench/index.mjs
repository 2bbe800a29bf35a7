// `npm run bench`: every section in one run, one table per section (each figure next to its baseline
// from the same run, and whether its target is met), and the whole as markdown in results.md.
// Sections are modules exporting `async run()` → { title, rows: [{ metric, twimlGuard, baseline, target?, met?, note? }],
// baselineLabel?, notes? }. Pick some with `node scripts/bench/index.mjs cold-start load`.
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatMarkdown, formatText } from './lib/table.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

const SECTIONS = [
  { name: 'signature', file: 'signature.mjs' },
  { name: 'cold-start', file: 'cold-start.mjs' },
  { name: 'adapters', file: 'adapters.mjs' },
  { name: 'pipeline', file: 'pipeline.mjs' },
  { name: 'web', file: 'web.mjs' },
  { name: 'secret-store', file: 'secret-store.mjs' },
  { name: 'load', file: 'load.mjs' },
];

/** @typedef {{ result: import('./lib/table.mjs').Section, seconds: number } | { skipped: string } | { failed: string }} Outcome */

/**
 * @param {{ name: string, file: string }} section
 * @returns {Promise<Outcome>}
 */
async function runSection({ name, file }) {
  const path = join(here, file);
  if (!existsSync(path)) return { skipped: `${name}: skipped, scripts/bench/${file} is not there` };
  const started = Date.now();
  try {
    /** @type {{ run(): Promise<import('./lib/table.mjs').Section> }} */
    const module = await import(pathToFileURL(path).href);
    const result = await module.run();
    return { result, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    return { failed: `${name}: failed: ${error instanceof Error ? error.stack : String(error)}` };
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.some((section) => section.name === name));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((section) => section.name).join(', ')}`);
  process.exit(2);
}
if (!existsSync(join(root, 'packages/core/dist/index.mjs'))) {
  console.error('packages/*/dist is missing: run `npm run build` first (npm run bench does)');
  process.exit(2);
}

const startedAt = new Date();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}, ${process.platform}/${process.arch}`;
const header = [
  '## Benchmarks',
  '',
  `Measured by \`npm run bench\` on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (${machine}; load average at start ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')}).`,
  'Every baseline was measured in the same run. The machine was shared and busy: timings are noisy, ratios near a target may flip between runs.',
];
console.log(header.slice(2).join('\n'));

const markdown = [...header];
/** @type {string[]} */
const problems = [];
let missed = 0;
for (const section of SECTIONS.filter((candidate) => !wanted.length || wanted.includes(candidate.name))) {
  console.log(`\n… ${section.name}`);
  const outcome = await runSection(section);
  if ('result' in outcome) {
    console.log(formatText(outcome.result));
    console.log(`  (${outcome.seconds.toFixed(0)} s)`);
    markdown.push('', formatMarkdown(outcome.result));
    missed += outcome.result.rows.filter((row) => row.met === false).length;
  } else {
    const message = 'skipped' in outcome ? outcome.skipped : outcome.failed;
    console.log(message);
    problems.push(message);
    markdown.push(
      '',
      `### ${section.name}`,
      '',
      `_${('skipped' in outcome ? outcome.skipped : (outcome.failed.split('\n')[0] ?? '')).replace(/_/g, '\\_')}_`,
    );
  }
}

const resultsFile = join(here, 'results.md');
writeFileSync(resultsFile, `${markdown.join('\n')}\n`);
console.log(
  `\n${missed ? `${missed} target(s) MISSED` : 'every target met'}${problems.length ? `; ${problems.length} section(s) skipped or failed` : ''}. Markdown: ${resultsFile.slice(root.length + 1)}`,
);
// Exit 0 even when a target is missed: the bench reports, it does not gate. A section that crashed is an error.
process.exitCode = problems.some((problem) => problem.includes(': failed:')) ? 1 : 0;
