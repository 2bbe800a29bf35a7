/** The result table: platform | request | status | what came back. */

/** @typedef {import('./requests.mjs').ResultRow} ResultRow */

const MAX_WHAT_CHARS = 80;

/**
 * The answer in one line: the TwiML inside <Response>, JSON as sent, other text as is.
 * @param {ResultRow} row
 */
export function whatCameBack(row) {
  if (row.error) return row.error;
  let text = row.body.trim();
  if (row.contentType.startsWith('text/xml') || text.startsWith('<?xml')) {
    text = text.replace(/^<\?xml[^>]*\?>\s*/, '');
    const inner = /^<Response>([\s\S]*)<\/Response>$/.exec(text);
    text = inner ? `TwiML ${inner[1]}` : text;
  }
  if (text === '') text = '(empty body)';
  text = text.replace(/\s+/g, ' ');
  return text.length > MAX_WHAT_CHARS ? `${text.slice(0, MAX_WHAT_CHARS - 1)}…` : text;
}

/** @param {ResultRow} row */
export function statusCell(row) {
  const status = row.status === undefined ? '---' : String(row.status);
  if (row.ok) return `${status} ok`;
  return row.status === row.expected.status ? `${status} FAIL (wrong body)` : `${status} FAIL (want ${row.expected.status})`;
}

/** @param {ResultRow[]} rows */
export function formatTable(rows) {
  const header = ['platform', 'request', 'status', 'what came back'];
  const lines = rows.map((row) => [row.platform, row.request, statusCell(row), whatCameBack(row) + (row.note ? ` [${row.note}]` : '')]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)));
  /** @param {string[]} cells */
  const render = (cells) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join(' | ');
  const rule = widths.map((width, column) => '-'.repeat(column === widths.length - 1 ? Math.min(width, 40) : width)).join('-+-');
  return [render(header), rule, ...lines.map(render)].join('\n');
}
