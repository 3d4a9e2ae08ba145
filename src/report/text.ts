import { createColors } from 'picocolors';
import type { Finding, Report, Summary } from '../types.js';
import type { FormatOptions } from './types.js';

/** The findings of one file, ordered by line, then column. */
export interface FileGroup {
  readonly file: string;
  readonly findings: readonly Finding[];
}

/**
 * Groups findings by file, keeping files in the order they first appear in the report.
 *
 * Within a file, findings are sorted by start line, then start column; ties keep report order.
 */
export function groupByFile(findings: readonly Finding[]): FileGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.file);
    if (group === undefined) groups.set(finding.file, [finding]);
    else group.push(finding);
  }
  return [...groups].map(([file, list]) => ({ file, findings: list.toSorted(byPosition) }));
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

/** `1 file`, `2 files`: a count with its noun in the right number. */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/**
 * What was looked at: `12 files (240 links, 180 unique URLs, 3 skipped)`; in PR mode also
 * `, 5 unchanged URLs not checked` when some were; with `--budget`, `, 40 URLs not checked (budget)`.
 */
export function scopePhrase(summary: Summary): string {
  const parts = [plural(summary.links, 'link'), plural(summary.uniqueUrls, 'unique URL')];
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped`);
  if (summary.unchanged > 0) parts.push(`${plural(summary.unchanged, 'unchanged URL')} not checked`);
  if (summary.budget > 0) parts.push(`${plural(summary.budget, 'URL')} not checked (budget)`);
  return `${plural(summary.files, 'file')} (${parts.join(', ')})`;
}

/** The problem counts, such as `3 errors, 1 warning`, or nothing when there are none. */
export function problemPhrase(summary: Summary): string | undefined {
  const parts: string[] = [];
  if (summary.errors > 0) parts.push(plural(summary.errors, 'error'));
  if (summary.warnings > 0) parts.push(plural(summary.warnings, 'warning'));
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * The verdicts on external URLs, `URLs: 2 dead, 1 blocked, 0 unverified`, each counted apart;
 * nothing when every checked URL answered.
 */
export function verdictPhrase(summary: Summary): string | undefined {
  if (summary.dead + summary.blocked + summary.unverified === 0) return undefined;
  return `URLs: ${summary.dead} dead, ${summary.blocked} blocked, ${summary.unverified} unverified`;
}

/**
 * The plain sentence saying external links went unchecked because the run was offline, if it was.
 *
 * Such links are unverified, never dead, and the sentence says exactly that.
 */
export function offlineSentence(report: Report): string | undefined {
  const count = report.summary.offline;
  if (!report.offline && count === 0) return undefined;
  if (report.offlineReason === 'requested') {
    return count === 0
      ? 'External links were not checked (--offline)'
      : `External links were not checked (--offline): ${plural(count, 'URL')} not verified`;
  }
  const cause = 'because the network is unreachable (offline)';
  if (count === 0) return `External links were not checked ${cause}`;
  return `External links were not checked: ${plural(count, 'URL')} could not be verified ${cause}`;
}

/**
 * The line saying a `--changed-since` run could not compare with the merge base, and what it
 * checked instead; nothing when it could (or the run was not in PR mode).
 */
export function changedSinceNote(report: Report): string | undefined {
  const pr = report.changedSince;
  if (pr === undefined || pr.base === 'merge-base') return undefined;
  const fetchDepth = 'use fetch-depth: 0 in actions/checkout';
  const flag = `--changed-since ${pr.ref}`;
  if (pr.base === 'ref') {
    const why = pr.shallow ? `shallow clone? ${fetchDepth}` : 'unrelated histories?';
    return `${flag}: no merge base with HEAD (${why}); checking the changed files in full`;
  }
  if (pr.reason === 'diff-failed') return `${flag}: git diff failed; checking every file`;
  const why = pr.shallow ? `shallow clone? fetch it, or ${fetchDepth}` : 'no such branch, tag or commit here';
  return `${flag}: unknown revision (${why}); checking every file`;
}

const controlEscapes: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes text safe to print on one line: line breaks and other control characters become visible
 * escapes (`\n`, `\u001b`), so a link can neither split a report line nor drive the terminal.
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f]/gu,
    (char) => controlEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A finding's message with its hint appended after `; `, as every format shows it. */
export function messageWithHint(finding: Finding): string {
  return finding.hint === undefined ? finding.message : `${finding.message}; ${finding.hint}`;
}

/**
 * Formats a report for a terminal: one line per finding, grouped by file, then a summary line
 * (which counts dead, blocked and unverified URLs apart when there are any).
 *
 * Each line reads `file:line:col  severity  rule-id  message; hint`, with location, severity and
 * rule id padded so the columns line up within a file; the rule id comes before the free text, so
 * a terminal that wraps a long line never splits it. With `options.width` (the CLI passes the
 * terminal's width) a line longer than that wraps between words onto indented continuation lines;
 * without it every finding stays on one line, for logs and `grep`. Groups are separated by a blank
 * line; with `options.findingsOnly` the summary is left out. Colour comes only from
 * `options.color`; notices are left to the caller.
 */
export function formatText(report: Report, options: FormatOptions): string {
  const colors = createColors(options.color);
  const lines: string[] = [];
  for (const group of groupByFile(report.findings)) {
    if (lines.length > 0) lines.push('');
    const rows = group.findings.map((finding) => ({
      finding,
      location: printable(`${finding.file}:${finding.range.start.line}:${finding.range.start.column}`),
    }));
    const locationWidth = Math.max(...rows.map((row) => row.location.length));
    const severityWidth = Math.max(...rows.map((row) => row.finding.severity.length));
    const ruleWidth = Math.max(...rows.map((row) => row.finding.ruleId.length));
    for (const { finding, location } of rows) {
      const severity = finding.severity === 'error' ? colors.red('error') : colors.yellow('warning');
      const prefix = [
        colors.dim(location) + ' '.repeat(locationWidth - location.length),
        severity + ' '.repeat(severityWidth - finding.severity.length),
        colors.dim(finding.ruleId) + ' '.repeat(ruleWidth - finding.ruleId.length),
        '',
      ].join('  ');
      const prefixWidth = locationWidth + severityWidth + ruleWidth + 6;
      lines.push(...wrapRow(prefix, prefixWidth, printable(messageWithHint(finding)), options.width));
    }
  }
  if (options.findingsOnly === true) return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report.summary, colors));
  const offline = offlineSentence(report);
  if (offline !== undefined) lines.push(offline);
  return `${lines.join('\n')}\n`;
}

/** Indentation of a wrapped finding's continuation lines. */
const continuation = '    ';

/**
 * Lays out one finding: the prefix and the text on one line when it fits in `width` columns (or
 * no width is given), else the text broken between words, continuation lines indented. A word
 * longer than a line (a URL, say) is never broken: it gets a line of its own.
 */
function wrapRow(prefix: string, prefixWidth: number, text: string, width: number | undefined): string[] {
  if (width === undefined || prefixWidth + text.length <= width) return [`${prefix}${text}`];
  const lines: string[] = [];
  let current = prefix;
  let used = prefixWidth;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && used + 1 + word.length > width) {
      lines.push(current);
      current = continuation + word;
      used = continuation.length + word.length;
      continue;
    }
    current += empty ? word : ` ${word}`;
    used += (empty ? 0 : 1) + word.length;
    empty = false;
  }
  lines.push(current);
  return lines;
}

function summaryLine(summary: Summary, colors: ReturnType<typeof createColors>): string {
  const problems = problemPhrase(summary);
  const verdicts = verdictPhrase(summary);
  const tail = verdicts === undefined ? '' : `; ${verdicts}`;
  if (problems === undefined) return `${colors.green('✔')} No problems in ${scopePhrase(summary)}${tail}`;
  const mark = summary.errors > 0 ? colors.red('✖') : colors.yellow('✖');
  return `${mark} ${problems} in ${scopePhrase(summary)}${tail}`;
}
