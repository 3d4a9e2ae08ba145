import type { Finding, Notice, Report, RuleId, Severity, Summary } from '../types.js';
import { groupByFile } from './text.js';
import type { FormatOptions } from './types.js';

/**
 * One finding in the JSON report: a `Finding` flattened, keys in this order.
 *
 * `line`/`column` are where the link starts and `endLine`/`endColumn` where it ends (1-based, end
 * exclusive). `url` is omitted when the finding is not about a destination (a table of contents,
 * for instance) and `hint` when there is no suggestion; neither is ever `null`.
 */
export interface JsonFinding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly url?: string;
  readonly message: string;
  readonly hint?: string;
}

/** A problem with an input file, such as a binary or unreadable file. */
export interface JsonNotice {
  readonly kind: Notice['kind'];
  readonly file: string;
  /** 1-based line of the offending byte, when there is one. */
  readonly line?: number;
  /** 1-based byte column of the offending byte, when there is one. */
  readonly column?: number;
  readonly message: string;
}

/**
 * The run's counts in the JSON report: `Summary`, keys in this order, with `unchanged` (unique
 * external URLs not checked because no link to them changed, with `--changed-since`) and
 * `budget` (unique external URLs `--budget` left for a later run) present only when not 0.
 * `dead`, `blocked` and `unverified` count unique external URLs by verdict.
 */
export type JsonSummary = Omit<Summary, 'unchanged' | 'budget'> & { readonly unchanged?: number; readonly budget?: number };

/**
 * The document `--format json` prints: a versioned, documented contract.
 *
 * Fields may be added in a later release; renaming or removing one bumps `version`.
 */
export interface JsonReport {
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly summary: JsonSummary;
  readonly findings: readonly JsonFinding[];
  readonly notices: readonly JsonNotice[];
}

/** Builds the JSON report object, every key in its documented order. */
function toJsonReport(report: Report, options: FormatOptions): JsonReport {
  const { summary } = report;
  return {
    version: 1,
    tool: { name: options.tool.name, version: options.tool.version },
    summary: {
      files: summary.files,
      links: summary.links,
      uniqueUrls: summary.uniqueUrls,
      checked: summary.checked,
      errors: summary.errors,
      warnings: summary.warnings,
      skipped: summary.skipped,
      offline: summary.offline,
      dead: summary.dead,
      blocked: summary.blocked,
      unverified: summary.unverified,
      ...(summary.unchanged === 0 ? {} : { unchanged: summary.unchanged }),
      ...(summary.budget === 0 ? {} : { budget: summary.budget }),
      durationMs: summary.durationMs,
    },
    findings: groupByFile(report.findings).flatMap((group) => group.findings.map(toJsonFinding)),
    notices: report.notices.map(({ kind, file, line, column, message }) => ({
      kind,
      file,
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
      message,
    })),
  };
}

function toJsonFinding(finding: Finding): JsonFinding {
  const { start, end } = finding.range;
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: finding.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    ...(finding.url === undefined ? {} : { url: finding.url }),
    message: finding.message,
    ...(finding.hint === undefined ? {} : { hint: finding.hint }),
  };
}

/**
 * Formats a report as one JSON document (`JsonReport`), indented by two spaces, with a trailing newline.
 *
 * Findings come grouped by file in report order, each file's sorted by line, then column.
 */
export function formatJson(report: Report, options: FormatOptions): string {
  return `${JSON.stringify(toJsonReport(report, options), null, 2)}\n`;
}
