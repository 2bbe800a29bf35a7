// One section's result as a plain-text table (terminal) and as a markdown table (README).
// Every section's run() returns { title, rows: [{ metric, twimlGuard, baseline, target?, met?, note? }], notes? };
// `baselineLabel` (optional) names what the baseline column holds for that section.

/**
 * One row of a section's table.
 * @typedef {object} Row
 * @property {string} metric
 * @property {string} twimlGuard
 * @property {string} baseline
 * @property {string} [target]
 * @property {boolean} [met]
 * @property {string} [note]
 */

/**
 * What every section's run() returns.
 * @typedef {object} Section
 * @property {string} title
 * @property {Row[]} rows
 * @property {string} [baselineLabel]
 * @property {string[]} [notes]
 */

/** @typedef {[label: string, key: keyof Row]} Column */

/** @param {boolean | undefined} met */
const verdict = (met) => (met === undefined ? '' : met ? 'met' : 'MISSED');

/**
 * @param {Section} section
 * @returns {Column[]}
 */
function columnsOf(section) {
  const rows = section.rows;
  /** @type {Column[]} */
  const columns = [
    ['metric', 'metric'],
    ['twiml-guard', 'twimlGuard'],
    [section.baselineLabel ?? 'baseline', 'baseline'],
  ];
  if (rows.some((row) => row.target !== undefined)) columns.push(['target', 'target']);
  if (rows.some((row) => row.met !== undefined)) columns.push(['met?', 'met']);
  if (rows.some((row) => row.note !== undefined)) columns.push(['note', 'note']);
  return columns;
}

/**
 * @param {Row} row
 * @param {keyof Row} key
 */
function cell(row, key) {
  if (key === 'met') return verdict(row.met);
  const value = row[key];
  return value === undefined || value === null ? '' : String(value);
}

/** @param {Section} section */
export function formatText(section) {
  const columns = columnsOf(section);
  const cells = section.rows.map((row) => columns.map(([, key]) => cell(row, key)));
  const widths = columns.map(([label], i) => Math.max(label.length, ...cells.map((line) => line[i]?.length ?? 0)));
  /** @param {string[]} values */
  const line = (values) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [`== ${section.title}`, line(columns.map(([label]) => label)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  for (const note of section.notes ?? []) out.push(`  * ${note}`);
  return out.join('\n');
}

/** @param {string} text */
const escapeMarkdown = (text) => text.replace(/\|/g, '\\|');

/** @param {Section} section */
export function formatMarkdown(section) {
  const columns = columnsOf(section);
  const out = [
    `### ${section.title}`,
    '',
    `| ${columns.map(([label]) => label).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...section.rows.map((row) => `| ${columns.map(([, key]) => escapeMarkdown(cell(row, key))).join(' | ')} |`),
  ];
  if (section.notes?.length) out.push('', ...section.notes.map((note) => `- ${note}`));
  return out.join('\n');
}
