import type { AnchorLookup, AnchorMatch } from '../types.js';
import { closest } from '../suggest.js';
import type { Document } from '../types.js';
import { safeDecode } from '../plan/classify.js';

const prefix = 'user-content-';

/**
 * The anchors of every markdown file read in a run, built once and shared by all files.
 *
 * Fragments match as GitHub's page does: percent-decoded, first as written and then lowercased,
 * with an optional `user-content-` prefix; `#top` and an empty fragment always match.
 */
export class AnchorIndex implements AnchorLookup {
  readonly #anchors = new Map<string, ReadonlySet<string>>();

  /** Records the anchors a document defines. */
  add(document: Document): void {
    this.#anchors.set(document.file, new Set(document.anchors.map((anchor) => anchor.id)));
  }

  /** Whether the anchors of `path` are known. */
  has(path: string): boolean {
    return this.#anchors.has(path);
  }

  match(path: string, fragment: string): AnchorMatch {
    const ids = this.#anchors.get(path);
    if (ids === undefined) return { kind: 'unknown' };
    return matchFragment(ids, fragment);
  }
}

/** Matches one fragment against a file's anchor ids. */
export function matchFragment(ids: ReadonlySet<string>, fragment: string): AnchorMatch {
  if (fragment === '' || fragment.toLowerCase() === 'top') return { kind: 'found' };
  if (fragment.startsWith(':~:')) return { kind: 'found' };
  const decoded = safeDecode(fragment);
  const bare = decoded.startsWith(prefix) ? decoded.slice(prefix.length) : decoded;
  for (const candidate of [decoded, decoded.toLowerCase(), bare, bare.toLowerCase()]) {
    if (ids.has(candidate)) return { kind: 'found' };
  }
  const suggestion = closest(bare, ids);
  return suggestion === undefined ? { kind: 'missing' } : { kind: 'missing', suggestion };
}
