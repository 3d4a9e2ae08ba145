import { createHash } from 'node:crypto';
import type { Finding, Report, Severity } from '../types.js';
import { groupByFile, messageWithHint } from './text.js';

/** The severities GitLab's Code Quality report knows, least serious first. */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One issue of a GitLab Code Quality report, with the fields GitLab reads. */
export interface CodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: CodeQualitySeverity;
  readonly location: {
    readonly path: string;
    readonly lines: { readonly begin: number; readonly end: number };
  };
}

/** An error fails the run, so it is `major`; a warning is `minor`. */
const severities: Readonly<Record<Severity, CodeQualitySeverity>> = { error: 'major', warning: 'minor' };

/**
 * What identifies a finding across runs: its rule, its file and its destination (or, for a
 * finding about no one link, its message), but never its line, so that moving a link does not
 * make its finding look new to a merge request.
 */
function identity(finding: Finding): string {
  return JSON.stringify([finding.ruleId, finding.file, finding.url ?? finding.message]);
}

/** A stable fingerprint: the SHA-256 of a finding's identity and its occurrence among equals. */
function fingerprint(identityKey: string, occurrence: number): string {
  return createHash('sha256').update(`${identityKey}\n${occurrence}`).digest('hex');
}

/**
 * Formats a report as a GitLab Code Quality report: a JSON array with one issue per finding,
 * which GitLab shows in the merge request widget and diff, new and fixed issues compared with
 * the target branch by fingerprint.
 *
 * `check_name` is the rule id, `description` the message with its hint after `; `, `severity`
 * `major` for errors and `minor` for warnings, and `location` the file (relative to the working
 * directory, which GitLab reads as relative to the repository) with the finding's first and last
 * line. The fingerprint leaves out the line (see {@link identity}); findings alike in all else are
 * told apart by their order in the file, so each fingerprint in a report is unique. Notices have
 * no place in the format and are left out; so is whether the run was offline.
 */
export function formatCodequality(report: Report): string {
  const seen = new Map<string, number>();
  const issues = groupByFile(report.findings).flatMap((group) =>
    group.findings.map((finding): CodeQualityIssue => {
      const key = identity(finding);
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      return {
        description: messageWithHint(finding),
        check_name: finding.ruleId,
        fingerprint: fingerprint(key, occurrence),
        severity: severities[finding.severity],
        location: { path: finding.file, lines: { begin: finding.range.start.line, end: finding.range.end.line } },
      };
    }),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}
