import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/**
 * Links need a destination: an empty one or a reference without a definition goes nowhere. A bare
 * `#` is not empty: GitHub scrolls it to the top of the page, as "Back to top" links intend.
 */
export const emptyLink = defineRule({
  id: 'empty-link',
  description: 'Links need a destination',
  severity: 'error',
  run({ document, resolved }, emit) {
    for (const link of document.links) {
      if (link.kind === 'definition') continue;
      const url = link.url.trim();
      if (url === '') emit(link, 'Unexpected empty link destination');
    }
    for (const { link, target } of resolved) {
      if (target.kind !== 'empty' || target.scheme === undefined || isReference(link)) continue;
      emit(link, `Unexpected URL with a scheme and nothing else: \`${target.scheme}\``);
    }
    for (const reference of document.undefinedReferences) {
      emit(reference, `Cannot find definition for reference \`[${reference.label}]\``);
    }
  },
});
