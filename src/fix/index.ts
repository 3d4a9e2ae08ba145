/**
 * The fix stage: findings with edits → byte-exact patches, written atomically or shown as a diff.
 */
export { digest, fixFiles, type FileOutcome, type FixOptions } from './apply.js';
export { countLine, outcomeLines, withoutFixed, type OutcomeLine } from './outcome.js';
export { planFile, type AppliedFix, type FilePlan, type SkippedFix, type SkipReason } from './plan.js';
export { unifiedDiff } from './diff.js';
export { defaultFixRules, fixableRules, isFixableRule, optInFixRules, type FixableRule } from './rules.js';
