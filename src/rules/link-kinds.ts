import type { Link } from '../types.js';
import type { ResolvedLink } from './rule.js';

/**
 * Whether a link uses a reference (`[text][label]`, `[label][]`, `[label]`): its URL lives in a
 * definition, which rules about the URL report on instead, once.
 */
export function isReference(link: Link): boolean {
  return link.syntax === 'full' || link.syntax === 'collapsed' || link.syntax === 'shortcut';
}

/**
 * For a link to this repository's former default branch (`blob/master/…` after the rename to
 * `main`) whose target exists: the redirect-style finding, since GitHub redirects the URL.
 * A missing target is `missing-file`'s, as it would be a dead link after the redirect.
 */
export function renamedBranchLink(entry: ResolvedLink): { readonly message: string; readonly hint: string } | undefined {
  const { link, target, file } = entry;
  if (target.kind !== 'local' || target.renamed === undefined || isReference(link)) return undefined;
  if (file?.kind !== 'file' && file?.kind !== 'directory') return undefined;
  const { from, to, url } = target.renamed;
  return {
    message: `Unexpected link to branch \`${from}\`, which GitHub redirects to \`${to}\``,
    hint: `use \`${url}\``,
  };
}
