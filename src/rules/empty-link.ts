import { defineRule } from './rule.js';

/** Links need a destination: an empty one, a bare `#` or a reference without a definition goes nowhere. */
export const emptyLink = defineRule({
  id: 'empty-link',
  description: 'Links need a destination',
  severity: 'error',
  run({ document }, emit) {
    for (const link of document.links) {
      if (link.kind === 'definition') continue;
      const url = link.url.trim();
      if (url === '' || url === '#') emit(link, 'Unexpected empty link destination');
    }
    for (const reference of document.undefinedReferences) {
      emit(reference, `Cannot find definition for reference \`[${reference.label}]\``);
    }
  },
});
