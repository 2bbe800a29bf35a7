// One section's result as a plain-text table (terminal) and as a markdown table (README).
// Every section's run() returns { title, rows: [{ metric, twimlGuard, baseline, target?, met?, note? }], notes? };
// `baselineLabel` (optional) names what the baseline column holds for that section.

const verdict = (met) => (met === undefined ? '' : met ? 'met' : 'MISSED');

function columnsOf(section) {
  const rows = section.rows;
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

function cell(row, key) {
  const value = row[key];
  if (key === 'met') return verdict(value);
  return value === undefined || value === null ? '' : String(value);
}

export function formatText(section) {
  const columns = columnsOf(section);
  const cells = section.rows.map((row) => columns.map(([, key]) => cell(row, key)));
  const widths = columns.map(([label], i) => Math.max(label.length, ...cells.map((line) => line[i].length)));
  const line = (values) => values.map((value, i) => value.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`== ${section.title}`, line(columns.map(([label]) => label)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  for (const note of section.notes ?? []) out.push(`  * ${note}`);
  return out.join('\n');
}

const escapeMarkdown = (text) => text.replace(/\|/g, '\\|');

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
