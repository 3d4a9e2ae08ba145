import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** A fragment on an external page must name an element with that `id` or `name` (or the text of a text fragment). */
export const remoteFragment = defineRule({
  id: 'remote-fragment',
  description: 'Fragments of external pages must exist on the page',
  severity: 'error',
  run({ resolved }, emit) {
    for (const { link, target, remote } of resolved) {
      if (remote?.status.kind !== 'ok' || isReference(link) || target.kind !== 'external') continue;
      if (target.fragment === undefined || target.fragment === '') continue;
      const status = remote.fragments.get(target.fragment);
      if (status?.kind !== 'missing') continue;
      emit(link, `Cannot find fragment \`#${target.fragment}\` in \`${target.url}\``, {
        ...(status.suggestion === undefined ? {} : { hint: `did you mean \`#${status.suggestion}\`?` }),
      });
    }
  },
});
