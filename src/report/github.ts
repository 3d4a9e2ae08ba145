import type { Finding, Report } from '../types.js';
import { groupByFile, messageWithHint, offlineSentence, printable } from './text.js';

/**
 * Escapes the data part of a workflow command (after `::`), as GitHub's runner unescapes it.
 * Control characters other than CR and LF (ESC above all) would reach the log viewer raw, so they
 * become visible escapes (`\u001b`) first.
 */
function escapeData(value: string): string {
  const visible = value.replace(/[^\r\n]+/g, (run) => printable(run));
  return visible.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a property value of a workflow command, where `:` and `,` are delimiters too. */
function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function command(name: string, properties: ReadonlyArray<readonly [string, string | number]>, data: string): string {
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${name}${list === '' ? '' : ` ${list}`}::${escapeData(data)}`;
}

function annotation(finding: Finding): string {
  const { start, end } = finding.range;
  // GitHub rejects columns on an annotation that spans several lines, so they are sent only for one line.
  const properties: Array<readonly [string, string | number]> =
    start.line === end.line
      ? [
          ['file', finding.file],
          ['line', start.line],
          ['col', start.column],
          ['endLine', end.line],
          ['endColumn', end.column],
        ]
      : [
          ['file', finding.file],
          ['line', start.line],
          ['endLine', end.line],
        ];
  properties.push(['title', finding.ruleId]);
  return command(finding.severity, properties, messageWithHint(finding));
}

/**
 * Formats a report as GitHub Actions workflow commands, one `::error`/`::warning` per finding.
 *
 * Each annotation carries the file, its line range (and columns when it spans one line) and the
 * rule id as its title; the message carries the hint after `; `. Values are escaped the way the
 * runner expects: `%`, CR and LF in the message, and also `:` and `,` in properties. An offline run
 * adds one `::notice` saying external links were not checked.
 */
export function formatGithub(report: Report): string {
  const lines = groupByFile(report.findings).flatMap((group) => group.findings.map(annotation));
  const offline = offlineSentence(report);
  if (offline !== undefined) lines.push(command('notice', [['title', 'Offline']], offline));
  return lines.map((line) => `${line}\n`).join('');
}
