import type { Finding, Report, Summary } from '../types.js';
import {
  groupByFile,
  messageWithHint,
  offlineSentence,
  printable,
  problemPhrase,
  scopePhrase,
} from './text.js';
import type { FormatOptions } from './types.js';

/** Wraps text in a code span whose backtick fence is longer than any backtick run inside it. */
function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

/** Backslash-escapes characters that would otherwise start markup, HTML, entities or math. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>~&$]/g, (char) => `\\${char}`);
}

/**
 * Renders a message as inline markdown: its backtick code spans stay code (re-fenced safely) and
 * everything else is escaped, so no part of a message can turn into markup, HTML or a live link.
 */
function inlineMarkdown(text: string): string {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('`', index);
    if (open === -1) return output + escapeText(text.slice(index));
    output += escapeText(text.slice(index, open));
    // Safe: `open` indexes a backtick, so the pattern matches at least one character.
    const run = /^`+/.exec(text.slice(open))![0];
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = open + run.length;
    const match = close.exec(text);
    if (match === null) {
      output += escapeText(run);
      index = open + run.length;
    } else {
      output += codeSpan(text.slice(open + run.length, match.index));
      index = match.index + run.length;
    }
  }
  return output;
}

/** Makes inline markdown fit in a table cell: GFM splits cells on every unescaped `|`, even in code. */
function cell(markdown: string): string {
  return markdown.replaceAll('|', '\\|');
}

function table(header: readonly string[], align: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [row(header), row(align), ...rows.map(row)];
}

function summaryTable(summary: Summary): string[] {
  return table(
    ['Files', 'Links', 'Unique URLs', 'Checked', 'Errors', 'Warnings', 'Skipped', 'Offline', 'Duration'],
    Array.from({ length: 9 }, () => '---:'),
    [
      [
        summary.files,
        summary.links,
        summary.uniqueUrls,
        summary.checked,
        summary.errors,
        summary.warnings,
        summary.skipped,
        summary.offline,
        `${summary.durationMs} ms`,
      ].map(String),
    ],
  );
}

function findingRow(finding: Finding): string[] {
  const { start, end } = finding.range;
  const lines = start.line === end.line ? `${start.line}` : `${start.line}–${end.line}`;
  return [
    lines,
    codeSpan(finding.ruleId),
    finding.severity,
    cell(inlineMarkdown(printable(messageWithHint(finding)))),
  ];
}

/**
 * Formats a report as markdown for a GitHub issue or job summary.
 *
 * A heading and a one-line verdict come first, then a table of the counts, the offline sentence
 * when the run was offline, and one table per file (Line | Rule | Severity | Message). File names
 * and rule ids are code; messages keep their code spans and have everything else escaped.
 */
export function formatMarkdown(report: Report, options: FormatOptions): string {
  const { summary } = report;
  const problems = problemPhrase(summary);
  const verdict =
    problems === undefined
      ? `All clear: no problems in ${scopePhrase(summary)}.`
      : `Found ${problems} in ${scopePhrase(summary)}.`;
  const blocks: string[][] = [[`## ${escapeText(options.tool.name)} report`], [verdict], summaryTable(summary)];
  const offline = offlineSentence(report);
  if (offline !== undefined) blocks.push([`${offline}.`]);
  for (const group of groupByFile(report.findings)) {
    blocks.push(
      [`### ${codeSpan(printable(group.file))}`],
      table(['Line', 'Rule', 'Severity', 'Message'], ['---:', '---', '---', '---'], group.findings.map(findingRow)),
    );
  }
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}
