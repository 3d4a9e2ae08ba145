/**
 * Which rules `--fix` may apply, and which of them only when asked by name.
 */
import type { RuleId } from '../types.js';

/** Rules whose findings can carry a certain fix, in the order `--help` names them. */
export const fixableRules = ['tracking-param', 'missing-anchor', 'toc-mismatch', 'insecure-link', 'redirect'] as const satisfies readonly RuleId[];

/** A rule `--fix` can apply. */
export type FixableRule = (typeof fixableRules)[number];

/**
 * Rules applied only when named (`--fix=redirect`): their fix changes where a link points, not
 * just how it is written.
 */
export const optInFixRules: ReadonlySet<FixableRule> = new Set<FixableRule>(['redirect']);

/** The rules plain `--fix` applies: every fixable rule but the opt-in ones. */
export const defaultFixRules: readonly FixableRule[] = fixableRules.filter((id) => !optInFixRules.has(id));

/** Whether a rule id names a fixable rule. */
export function isFixableRule(id: string): id is FixableRule {
  return (fixableRules as readonly string[]).includes(id);
}

/**
 * Rules whose fix rewrites a destination as written: the text such an edit replaces is always part
 * of the finding's URL, which the planner checks, so an edit at a wrong offset is never made.
 */
export const destinationFixRules: ReadonlySet<RuleId> = new Set<RuleId>(['tracking-param', 'insecure-link', 'redirect']);
