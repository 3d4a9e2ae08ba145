/**
 * What `--fix` says: a line per fix and per fix left out, the count, and the report of what is left.
 */
import { plural } from '../report/text.js';
import type { Edit, Finding, Report } from '../types.js';
import type { FileOutcome } from './apply.js';
import type { AppliedFix } from './plan.js';

/** Longest old or new text shown in a fix line; a longer edit is described by its lines. */
const shownLength = 120;

/**
 * The report without the findings the fixes resolved, its counts to match. A finding about text
 * a fix replaced (a missing anchor in a table of contents that was regenerated) went with it.
 */
export function withoutFixed(report: Report, outcomes: readonly FileOutcome[]): Report {
  const fixed = new Set<Finding>();
  const replaced = new Map<string, Edit[]>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'fixed') continue;
    for (const finding of outcome.plan.fixed) fixed.add(finding);
    replaced.set(outcome.file, outcome.plan.applied.map((applied) => applied.edit).filter((edit) => edit.end > edit.start));
  }
  if (fixed.size === 0) return report;
  const isReplaced = ({ file, range }: Finding): boolean =>
    (replaced.get(file) ?? []).some((edit) => range.start.offset >= edit.start && range.end.offset <= edit.end);
  const findings = report.findings.filter((finding) => !fixed.has(finding) && !isReplaced(finding));
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return { ...report, findings, summary: { ...report.summary, errors, warnings: findings.length - errors } };
}

/** One line `--fix` prints (without the `waymark: ` prefix); `isError` for a file it could not fix at all. */
export interface OutcomeLine {
  readonly text: string;
  readonly isError: boolean;
}

/** The lines `--fix` prints: each fix, each fix left out, each file left alone. */
export function outcomeLines(outcomes: readonly FileOutcome[], dryRun: boolean): OutcomeLine[] {
  const verb = dryRun ? 'would fix' : 'fixed';
  const lines: OutcomeLine[] = [];
  const line = (text: string, isError = false): void => void lines.push({ text, isError });
  for (const outcome of outcomes) {
    if (outcome.kind === 'left-alone') {
      line(`${outcome.file}: ${outcome.message}`, true);
      continue;
    }
    for (const applied of outcome.plan.applied) line(`${where(applied.finding)}: ${verb} ${applied.finding.ruleId}: ${change(applied)}`);
    for (const skip of outcome.plan.skipped) line(`${where(skip.finding)}: not fixed ${skip.finding.ruleId}: ${skip.note}`);
  }
  return lines;
}

/** The count line: `fixed 3 problems in 2 files`, with what was left out. */
export function countLine(outcomes: readonly FileOutcome[], dryRun: boolean): string {
  let problems = 0;
  let files = 0;
  let notFixed = 0;
  let alone = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === 'left-alone') alone++;
    else {
      notFixed += outcome.plan.skipped.length;
      if (outcome.kind === 'fixed') {
        problems += outcome.plan.fixed.length;
        files++;
      }
    }
  }
  const extra = [
    ...(notFixed === 0 ? [] : [`${notFixed} ${notFixed === 1 ? 'fix' : 'fixes'} left out`]),
    ...(alone === 0 ? [] : [`${plural(alone, 'file')} left alone`]),
  ];
  if (problems === 0 && extra.length === 0) return 'nothing to fix';
  const head = `${dryRun ? 'would fix' : 'fixed'} ${plural(problems, 'problem')} in ${plural(files, 'file')}`;
  return extra.length === 0 ? head : `${head} (${extra.join(', ')})`;
}

function where(finding: Finding): string {
  return `${finding.file}:${finding.range.start.line}:${finding.range.start.column}`;
}

/** `` `old` → `new` `` for a short edit on one line, else the lines it rewrote. */
function change({ before, edit }: AppliedFix): string {
  const isShort = before.length <= shownLength && edit.text.length <= shownLength && !/[\r\n]/.test(before + edit.text);
  if (isShort) return before === '' ? `inserted \`${edit.text}\`` : `\`${before}\` → \`${edit.text}\``;
  const lines = before.split(/\r\n|\r|\n/).length;
  return lines <= 1 ? 'rewrote the text' : `rewrote ${plural(lines, 'line')}`;
}
