/**
 * Prints aligned markdown tables.
 */

/**
 * Renders rows as a markdown table whose columns line up in a monospace terminal.
 * @param {string[]} header column titles
 * @param {string[][]} rows cell texts
 * @param {('l'|'r')[]} [align] per-column alignment, left by default
 */
export function renderTable(header, rows, align = []) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i] ?? '').length)));
  const cell = (text, i) => (align[i] === 'r' ? String(text).padStart(widths[i]) : String(text).padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Formats a number with a fixed count of decimals, or an em dash when it is missing. */
export function fmt(value, decimals = 0) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(decimals) : '—';
}
