import { isReference, renamedBranchLink } from './link-kinds.js';
import { defineRule } from './rule.js';

/** A working URL that moved permanently (301 or 308) should point at where it moved. */
export const redirect = defineRule({
  id: 'redirect',
  description: 'Permanently redirected URLs should be updated',
  severity: 'warning',
  run({ resolved }, emit) {
    for (const { link, target, remote } of resolved) {
      if (remote?.status.kind !== 'ok' || isReference(link) || target.kind !== 'external') continue;
      const { redirects } = remote.status;
      const permanent = redirects.find((hop) => hop.status === 301 || hop.status === 308);
      if (permanent === undefined) continue;
      const final = redirects[redirects.length - 1]?.to;
      if (final === undefined) continue;
      const withFragment = target.fragment === undefined || final.includes('#') ? final : `${final}#${target.fragment}`;
      emit(link, `Unexpected permanent redirect (HTTP ${permanent.status})`, { hint: `use \`${withFragment}\`` });
    }
    // Links to a renamed default branch, checked locally: GitHub redirects them to the current one.
    for (const entry of resolved) {
      const renamed = renamedBranchLink(entry);
      if (renamed !== undefined) emit(entry.link, renamed.message, { hint: renamed.hint });
    }
  },
});
