import { closest } from '../suggest.js';
import type { Document, Notice } from '../types.js';
import { rules } from './index.js';

const known = new Set<string>(rules.map((rule) => rule.id));

/**
 * Inline control comments that name a rule Waymark does not have: such a comment silences nothing,
 * so each unknown id becomes a warning notice at the comment, with the closest real id as a hint.
 */
export function unknownDirectiveRules(document: Document): Notice[] {
  const notices: Notice[] = [];
  for (const directive of document.directives) {
    for (const id of directive.rules) {
      if (known.has(id)) continue;
      const suggestion = closest(id, known);
      notices.push({
        kind: 'unknown-rule',
        file: document.file,
        line: directive.range.start.line,
        column: directive.range.start.column,
        message: `Unknown rule \`${id}\` in \`waymark-${directive.kind}\`: it silences nothing${
          suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`
        }`,
      });
    }
  }
  return notices;
}
