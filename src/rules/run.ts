import type { Finding, Link, RuleLevel, Severity } from '../types.js';
import { rules } from './index.js';
import type { RuleContext } from './rule.js';
import { suppression } from './suppress.js';

/**
 * Runs every enabled rule over one document at its configured severity, minus suppressed findings.
 *
 * Rules report what is wrong with a reference's URL once, at its definition; here each such
 * finding moves to every link that uses the definition (naming the definition's line), since the
 * uses are what a reader clicks and what a pull request usually changes.
 */
export function runRules(context: RuleContext): Finding[] {
  const suppressed = suppression(context.document.directives);
  const uses = usesByDefinition(context.document.links);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = severityOf(context.config.rules[rule.id], rule.isOptIn === true ? undefined : rule.severity);
    if (severity === undefined) continue;
    for (const finding of rule.check(context, severity)) {
      if (suppressed(finding)) continue;
      for (const moved of atUses(finding, uses)) if (!suppressed(moved)) findings.push(moved);
    }
  }
  return findings;
}

/** The reference links of a document, grouped by the offset of the definition they use. */
function usesByDefinition(links: readonly Link[]): ReadonlyMap<number, readonly Link[]> {
  const uses = new Map<number, Link[]>();
  for (const link of links) {
    if (link.definition === undefined) continue;
    const offset = link.definition.start.offset;
    const list = uses.get(offset);
    if (list === undefined) uses.set(offset, [link]);
    else list.push(link);
  }
  return uses;
}

/** A finding at a used definition, copied to each use; the fix (an edit of the definition) stays on the first. */
function atUses(finding: Finding, uses: ReadonlyMap<number, readonly Link[]>): readonly Finding[] {
  const links = uses.get(finding.range.start.offset);
  if (links === undefined) return [finding];
  const line = finding.range.start.line;
  return links.map((link, i) => {
    const { fix, ...rest } = finding;
    return {
      ...rest,
      range: link.range,
      message: `${finding.message} (defined on line ${line})`,
      ...(i === 0 && fix !== undefined ? { fix } : {}),
    };
  });
}

function severityOf(level: RuleLevel | undefined, fallback: Severity | undefined): Severity | undefined {
  if (level === undefined) return fallback;
  if (level === 'off') return undefined;
  return level === 'warn' ? 'warning' : 'error';
}
