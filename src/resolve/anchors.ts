import type { AnchorLookup, AnchorMatch } from '../types.js';
import { distance } from 'fastest-levenshtein';
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
  /** Answers given, by path and fragment: a list links the same heading from many lines. */
  readonly #matches = new Map<string, AnchorMatch>();

  /** Records the anchors a document defines. */
  add(document: Document): void {
    this.#anchors.set(document.file, new Set(document.anchors.map((anchor) => anchor.id)));
    this.#matches.clear();
  }

  /** Whether the anchors of `path` are known. */
  has(path: string): boolean {
    return this.#anchors.has(path);
  }

  match(path: string, fragment: string): AnchorMatch {
    const ids = this.#anchors.get(path);
    if (ids === undefined) return { kind: 'unknown' };
    const key = `${path}\u0000${fragment}`;
    let match = this.#matches.get(key);
    if (match === undefined) {
      match = matchFragment(ids, fragment);
      this.#matches.set(key, match);
    }
    return match;
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
  const certain = certainAnchor(ids, bare);
  if (certain !== undefined) return { kind: 'missing', suggestion: certain, certain };
  const suggestion = closest(bare, ids);
  return suggestion === undefined ? { kind: 'missing' } : { kind: 'missing', suggestion };
}

/**
 * A fragment and an anchor as they compare when case, punctuation and GitHub's `user-content-`
 * prefix are set aside: letters and digits only, lowercased.
 */
function looseForm(text: string): string {
  const lower = text.toLowerCase();
  return (lower.startsWith(prefix) ? lower.slice(prefix.length) : lower).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Each set's anchors by loose form, built once per set. */
const looseIndexes = new WeakMap<ReadonlySet<string>, ReadonlyMap<string, readonly string[]>>();

function looseIndex(ids: ReadonlySet<string>): ReadonlyMap<string, readonly string[]> {
  let index = looseIndexes.get(ids);
  if (index === undefined) {
    const built = new Map<string, string[]>();
    for (const id of ids) {
      const form = looseForm(id);
      built.set(form, [...(built.get(form) ?? []), id]);
    }
    index = built;
    looseIndexes.set(ids, index);
  }
  return index;
}

/** Most anchors a file may have for a renamed heading to be looked for among them. */
const maxRenameCandidates = 1_000;

/** Longest fragment looked for as a renamed heading. */
const maxRenameLength = 100;

/**
 * The one anchor a missing fragment certainly means, if there is one: the only anchor equal to it
 * but for case, punctuation and the `user-content-` prefix (`#Getting_Started!` for
 * `getting-started`), or else a renamed heading: the only anchor within a third of its length in
 * edits, with every other anchor at least two edits further away.
 */
function certainAnchor(ids: ReadonlySet<string>, fragment: string): string | undefined {
  const form = looseForm(fragment);
  if (form !== '') {
    const same = looseIndex(ids).get(form);
    if (same !== undefined) return same.length === 1 ? same[0] : undefined;
  }
  const wanted = fragment.toLowerCase();
  if (wanted.length > maxRenameLength || ids.size > maxRenameCandidates) return undefined;
  let best: { id: string; distance: number } | undefined;
  let second = Infinity;
  for (const id of ids) {
    const d = distance(wanted, id.toLowerCase());
    if (best === undefined || d < best.distance) {
      second = best?.distance ?? Infinity;
      best = { id, distance: d };
    } else second = Math.min(second, d);
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, best.id.length) / 3));
  return best.distance <= limit && second - best.distance >= 2 ? best.id : undefined;
}
