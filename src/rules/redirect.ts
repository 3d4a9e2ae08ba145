import type { Redirect } from '../types.js';
import { destinationEdit } from './destination-edit.js';
import { isReference, renamedBranchLink } from './link-kinds.js';
import { defineRule } from './rule.js';

/**
 * A working URL that moved permanently (301 or 308) should point at where it moved. The fix (applied
 * only with `--fix=redirect`) is offered when every hop was permanent and the URL stayed on its site
 * (the same host, give or take `www.`, and `http://` at most turned into `https://`), which covers a
 * renamed GitHub repository; and for a link to this repository's renamed default branch.
 */
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
      const hint = `use \`${withFragment}\``;
      const fix = isSameSiteMove(remote.url, redirects) ? destinationEdit(link, withFragment) : undefined;
      emit(link, `Unexpected permanent redirect (HTTP ${permanent.status})`, fix === undefined ? { hint } : { hint, fix });
    }
    // Links to a renamed default branch, checked locally: GitHub redirects them to the current one.
    for (const entry of resolved) {
      const renamed = renamedBranchLink(entry);
      if (renamed === undefined || entry.target.kind !== 'local' || entry.target.renamed === undefined) continue;
      const fix = destinationEdit(entry.link, entry.target.renamed.url);
      emit(entry.link, renamed.message, fix === undefined ? { hint: renamed.hint } : { hint: renamed.hint, fix });
    }
  },
});

/** Whether every hop from `url` was permanent and stayed on its site. */
function isSameSiteMove(url: string, redirects: readonly Redirect[]): boolean {
  if (!URL.canParse(url)) return false;
  const from = new URL(url);
  return redirects.every(({ status, to }) => {
    if ((status !== 301 && status !== 308) || !URL.canParse(to)) return false;
    const next = new URL(to);
    const scheme = next.protocol === from.protocol || (from.protocol === 'http:' && next.protocol === 'https:');
    return scheme && siteOf(next) === siteOf(from) && next.port === from.port;
  });
}

/** A host without a leading `www.`. */
function siteOf(url: URL): string {
  return url.hostname.replace(/^www\./, '');
}
