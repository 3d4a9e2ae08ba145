import type { Directive, Finding } from '../types.js';

interface Span {
  readonly rules: readonly string[];
  readonly from: number;
  readonly to: number;
}

/**
 * Turns a file's inline control comments into a filter: a finding is dropped when a
 * `waymark-disable-next-line`, `waymark-disable-line` or open `waymark-disable` block names its
 * rule (or names none, meaning every rule) on the finding's first line.
 */
export function suppression(directives: readonly Directive[]): (finding: Finding) => boolean {
  if (directives.length === 0) return () => false;
  const spans: Span[] = [];
  const open = new Map<string, number>();
  const sorted = [...directives].sort((a, b) => a.range.start.offset - b.range.start.offset);
  for (const directive of sorted) {
    const line = directive.range.start.line;
    const keys = directive.rules.length === 0 ? ['*'] : directive.rules;
    switch (directive.kind) {
      case 'disable-line':
        spans.push({ rules: directive.rules, from: line, to: directive.range.end.line });
        break;
      case 'disable-next-line':
        spans.push({ rules: directive.rules, from: directive.range.end.line + 1, to: directive.range.end.line + 1 });
        break;
      case 'disable':
        for (const key of keys) if (!open.has(key)) open.set(key, line);
        break;
      case 'enable':
        for (const [key, from] of open) {
          if (directive.rules.length === 0 || directive.rules.includes(key) || key === '*') {
            spans.push({ rules: key === '*' ? [] : [key], from, to: line });
            open.delete(key);
          }
        }
        break;
    }
  }
  for (const [key, from] of open) spans.push({ rules: key === '*' ? [] : [key], from, to: Infinity });
  return (finding) =>
    spans.some(
      (span) =>
        finding.range.start.line >= span.from &&
        finding.range.start.line <= span.to &&
        (span.rules.length === 0 || span.rules.includes(finding.ruleId)),
    );
}
