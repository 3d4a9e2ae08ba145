import path from 'node:path';
import { safeDecode } from '../plan/classify.js';
import type { FileStatus, FragmentTarget, Link, LinkTarget, ResolvedLink } from '../types.js';
import { isMarkdownPath } from './local.js';

/** Shared by every link without a fragment to look up (most links), so none costs an object of its own. */
const none: FragmentTarget = Object.freeze({ kind: 'none' });

/** The id of the box in which GitHub renders a directory's README. */
const readmeBox = 'readme';

/** GitHub's line anchors in a file view: `#L12` or `#L12-L20`. */
const lineAnchor = /^L\d+(-L\d+)?$/;

/** A resolved link: where it points, what the file system says, and where its fragment is looked up. */
export function resolvedLink(link: Link, target: LinkTarget, status: FileStatus | undefined, file: string): ResolvedLink {
  return { link, target, ...(status === undefined ? {} : { file: status }), fragmentTarget: fragmentTarget(target, status, file) };
}

/**
 * Works out which file a fragment points into: this file, another markdown file, the README a
 * directory shows, or a place where it cannot be checked. `file` is the linking file.
 */
export function fragmentTarget(target: LinkTarget, status: FileStatus | undefined, file: string): FragmentTarget {
  if (target.kind === 'same-file') return { kind: 'markdown', path: file, fragment: target.fragment, sameFile: true };
  if (target.kind !== 'local' || target.fragment === undefined || target.fragment === '') return none;
  const { fragment } = target;
  if (status === undefined) return none;
  switch (status.kind) {
    case 'file':
      if (status.isMarkdown) return { kind: 'markdown', path: target.path, fragment, sameFile: target.path === file };
      return lineAnchor.test(fragment) ? none : { kind: 'not-markdown', path: target.path, fragment };
    case 'directory':
    {
      if (status.readme === undefined) return { kind: 'no-readme', path: target.path, fragment };
      // GitHub's rendered README box on a directory page (and the repository's home page).
      if (safeDecode(fragment).toLowerCase() === readmeBox) return none;
      const readme = path.posix.join(target.path, status.readme);
      if (!isMarkdownPath(readme)) return { kind: 'not-markdown', path: readme, fragment };
      return { kind: 'markdown', path: readme, fragment, sameFile: readme === file };
    }
    case 'missing':
    case 'case-mismatch':
    case 'outside':
      return none;
  }
}
