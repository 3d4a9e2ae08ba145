import type { Edit, Link } from '../types.js';
import { destinationEdit } from './destination-edit.js';
import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/**
 * Fragments must name a heading or an HTML `id`/`name` in the file they point into. When exactly
 * one anchor is certainly meant (it differs only in case, punctuation or a `user-content-`
 * prefix, or is the one clear match for a renamed heading), the finding carries the fix.
 */
export const missingAnchor = defineRule({
  id: 'missing-anchor',
  description: 'Fragments must match a heading or HTML anchor in the target file',
  severity: 'error',
  run({ document, resolved, anchors }, emit) {
    for (const entry of resolved) {
      if (isReference(entry.link)) continue;
      const target = entry.fragmentTarget;
      if (target.kind !== 'markdown') continue;
      const match = anchors.match(target.path, target.fragment);
      if (match.kind !== 'missing') continue;
      const where = target.sameFile ? '' : ` in \`${target.path}\``;
      const fix = match.certain === undefined ? undefined : fragmentEdit(entry.link, target.fragment, match.certain);
      emit(entry.link, `Cannot find heading \`#${target.fragment}\`${where}`, {
        ...(match.suggestion === undefined ? {} : { hint: `did you mean \`#${match.suggestion}\`?` }),
        ...(fix === undefined ? {} : { fix }),
      });
    }
  },
});

/** The edit that makes a link's fragment `anchor`, when the destination is written as its URL. */
function fragmentEdit(link: Link, fragment: string, anchor: string): Edit | undefined {
  if (!link.url.endsWith(`#${fragment}`)) return undefined;
  return destinationEdit(link, `${link.url.slice(0, link.url.length - fragment.length)}${anchor}`);
}
