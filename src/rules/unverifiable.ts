import { fragmentTarget } from './fragment-target.js';
import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** Links whose target exists but whose fragment or status cannot be confirmed are flagged for a human. */
export const unverifiable = defineRule({
  id: 'unverifiable',
  description: 'Links that cannot be verified need a human look',
  severity: 'warning',
  run({ document, resolved }, emit) {
    for (const entry of resolved) {
      if (isReference(entry.link)) continue;
      const target = fragmentTarget(entry, document.file);
      if (target.kind === 'no-readme') {
        emit(entry.link, `Cannot verify fragment \`#${target.fragment}\`: directory \`${target.path}\` has no README`);
      } else if (target.kind === 'not-markdown') {
        emit(entry.link, `Cannot verify fragment \`#${target.fragment}\` in \`${target.path}\`, which is not markdown`);
      }
    }
  },
});
