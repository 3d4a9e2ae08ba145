import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** An `http://` URL whose `https://` twin works should use `https://`. */
export const insecureLink = defineRule({
  id: 'insecure-link',
  description: 'Use https:// where the secure URL works',
  severity: 'warning',
  run({ resolved }, emit) {
    for (const { link, secure } of resolved) {
      if (secure?.status.kind !== 'ok' || isReference(link) || !/^http:/i.test(link.url)) continue;
      const https = `https:${link.url.slice('http:'.length)}`;
      emit(link, 'Unexpected insecure `http://` URL: its `https://` twin works', { hint: `use \`${https}\`` });
    }
  },
});
