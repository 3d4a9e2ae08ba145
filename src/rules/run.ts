import type { RuleLevel, Severity, Finding } from '../types.js';
import { rules } from './index.js';
import type { RuleContext } from './rule.js';
import { suppression } from './suppress.js';

/** Runs every enabled rule over one document at its configured severity, minus suppressed findings. */
export function runRules(context: RuleContext): Finding[] {
  const suppressed = suppression(context.document.directives);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = severityOf(context.config.rules[rule.id], rule.severity);
    if (severity === undefined) continue;
    for (const finding of rule.check(context, severity)) if (!suppressed(finding)) findings.push(finding);
  }
  return findings;
}

function severityOf(level: RuleLevel | undefined, fallback: Severity): Severity | undefined {
  if (level === undefined) return fallback;
  if (level === 'off') return undefined;
  return level === 'warn' ? 'warning' : 'error';
}
