import path from 'node:path';
import { safeDecode } from '../plan/classify.js';
import { isMarkdownPath } from '../resolve/local.js';
import type { ResolvedLink } from './rule.js';

/** Where a link's fragment has to be looked up, as the `missing-anchor` and `unverifiable` rules see it. */
export type FragmentTarget =
  | { readonly kind: 'none' }
  | { readonly kind: 'markdown'; readonly path: string; readonly fragment: string; readonly sameFile: boolean }
  | { readonly kind: 'no-readme'; readonly path: string; readonly fragment: string }
  | { readonly kind: 'not-markdown'; readonly path: string; readonly fragment: string };

/** The id of the box in which GitHub renders a directory's README. */
const readmeBox = 'readme';

/** GitHub's line anchors in a file view: `#L12` or `#L12-L20`. */
const lineAnchor = /^L\d+(-L\d+)?$/;

/**
 * Works out which file a fragment points into: this file, another markdown file, the README a
 * directory shows, or a place where it cannot be checked.
 */
export function fragmentTarget(resolved: ResolvedLink, file: string): FragmentTarget {
  const { target } = resolved;
  if (target.kind === 'same-file') return { kind: 'markdown', path: file, fragment: target.fragment, sameFile: true };
  if (target.kind !== 'local' || target.fragment === undefined || target.fragment === '') return { kind: 'none' };
  const { fragment } = target;
  const status = resolved.file;
  if (status === undefined) return { kind: 'none' };
  switch (status.kind) {
    case 'file':
      if (status.isMarkdown) return { kind: 'markdown', path: target.path, fragment, sameFile: target.path === file };
      return lineAnchor.test(fragment) ? { kind: 'none' } : { kind: 'not-markdown', path: target.path, fragment };
    case 'directory':
    {
      if (status.readme === undefined) return { kind: 'no-readme', path: target.path, fragment };
      // GitHub's rendered README box on a directory page (and the repository's home page).
      if (safeDecode(fragment).toLowerCase() === readmeBox) return { kind: 'none' };
      const readme = path.posix.join(target.path, status.readme);
      if (!isMarkdownPath(readme)) return { kind: 'not-markdown', path: readme, fragment };
      return { kind: 'markdown', path: readme, fragment, sameFile: readme === file };
    }
    case 'missing':
    case 'case-mismatch':
    case 'outside':
      return { kind: 'none' };
  }
}
