import { fragmentTarget } from './fragment-target.js';
import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** Fragments must name a heading or an HTML `id`/`name` in the file they point into. */
export const missingAnchor = defineRule({
  id: 'missing-anchor',
  description: 'Fragments must match a heading or HTML anchor in the target file',
  severity: 'error',
  run({ document, resolved, anchors }, emit) {
    for (const entry of resolved) {
      if (isReference(entry.link)) continue;
      const target = fragmentTarget(entry, document.file);
      if (target.kind !== 'markdown') continue;
      const match = anchors.match(target.path, target.fragment);
      if (match.kind !== 'missing') continue;
      const where = target.sameFile ? '' : ` in \`${target.path}\``;
      emit(entry.link, `Cannot find heading \`#${target.fragment}\`${where}`, {
        ...(match.suggestion === undefined ? {} : { hint: `did you mean \`#${match.suggestion}\`?` }),
      });
    }
  },
});
