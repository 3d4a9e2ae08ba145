import { distance } from 'fastest-levenshtein';

/** Longest word a suggestion is looked for: nobody mistypes a 2,000-character fragment. */
export const maxSuggestionLength = 256;

/**
 * Most edit distances computed for one call, closest lengths first: a file with 50,000 headings
 * must not cost 50,000 comparisons for every missing fragment.
 */
export const maxComparisonsPerCall = 2_000;

/** Most edit distances computed against one candidate set over a whole run. */
export const maxComparisonsPerSet = 2_000_000;

/** A candidate set made ready for many lookups; built once per set (the set must not change). */
interface Prepared {
  readonly originals: readonly string[];
  readonly lowers: readonly string[];
  /** Candidate indexes sorted by length of the lowercased text, then by index. */
  readonly byLength: readonly number[];
  /** Three-character slice → the indexes of the candidates that contain it, each once. */
  readonly trigrams: ReadonlyMap<string, readonly number[]>;
  /** Lowercased text → the indexes that have it. */
  readonly exact: ReadonlyMap<string, readonly number[]>;
  /** Answers already given, by lowercased word. */
  readonly memo: Map<string, string | undefined>;
  comparisons: number;
}

const preparedSets = new WeakMap<object, Prepared>();

function prepare(candidates: Iterable<string>): Prepared {
  const cached = typeof candidates === 'object' ? preparedSets.get(candidates) : undefined;
  if (cached !== undefined) return cached;
  const originals = [...candidates];
  const lowers = originals.map((candidate) => candidate.toLowerCase());
  const byLength = lowers.map((_, index) => index).sort((a, b) => (lowers[a]?.length ?? 0) - (lowers[b]?.length ?? 0) || a - b);
  const trigrams = new Map<string, number[]>();
  lowers.forEach((lower, index) => {
    for (let at = 0; at + 3 <= lower.length; at++) {
      const key = lower.slice(at, at + 3);
      const list = trigrams.get(key);
      if (list === undefined) trigrams.set(key, [index]);
      else if (list.at(-1) !== index) list.push(index);
    }
  });
  const exact = new Map<string, number[]>();
  lowers.forEach((lower, index) => {
    const list = exact.get(lower);
    if (list === undefined) exact.set(lower, [index]);
    else list.push(index);
  });
  const prepared: Prepared = {
    originals,
    lowers,
    byLength,
    trigrams,
    exact,
    memo: new Map(),
    comparisons: 0,
  };
  if (typeof candidates === 'object') preparedSets.set(candidates, prepared);
  return prepared;
}

/** Indexes of candidates that contain `target` or that `target` contains (both at least 3 long). */
function containing(prepared: Prepared, target: string): Set<number> {
  const found = new Set<number>();
  if (target.length < 3) return found;
  // A candidate containing `target` contains each of its three-character slices: take the
  // rarest slice's candidates and check those.
  let rarest: readonly number[] | undefined;
  for (let at = 0; at + 3 <= target.length; at++) {
    const list = prepared.trigrams.get(target.slice(at, at + 3)) ?? [];
    if (rarest === undefined || list.length < rarest.length) rarest = list;
    if (rarest.length === 0) break;
  }
  for (const index of rarest ?? []) if (prepared.lowers[index]?.includes(target) === true) found.add(index);
  for (let start = 0; start + 3 <= target.length; start++) {
    for (let end = start + 3; end <= target.length; end++) {
      for (const index of prepared.exact.get(target.slice(start, end)) ?? []) found.add(index);
    }
  }
  return found;
}

/** Position in `byLength` of the first candidate at least `length` long. */
function firstOfLength(prepared: Prepared, length: number): number {
  let low = 0;
  let high = prepared.byLength.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((prepared.lowers[prepared.byLength[middle] ?? 0]?.length ?? 0) < length) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The edit distance allowed between two words: a third of the longer, and at least 2. */
function editLimit(a: number, b: number): number {
  return Math.max(2, Math.floor(Math.max(a, b) / 3));
}

/**
 * Candidates close enough in length to be within the edit limit, nearest lengths first, at most
 * `budget` of them.
 */
function byNearLength(prepared: Prepared, length: number, budget: number): number[] {
  const shortest = length - editLimit(length, 0);
  const longest = Math.max(length + 2, Math.floor((length * 3) / 2) + 1);
  const middle = firstOfLength(prepared, length);
  const picked: number[] = [];
  let below = middle - 1;
  let above = middle;
  while (picked.length < budget) {
    const upIndex = prepared.byLength[above];
    const downIndex = prepared.byLength[below];
    const up = upIndex === undefined ? Infinity : (prepared.lowers[upIndex]?.length ?? 0) - length;
    const down = downIndex === undefined ? Infinity : length - (prepared.lowers[downIndex]?.length ?? 0);
    const upOk = up !== Infinity && length + up <= longest;
    const downOk = down !== Infinity && length - down >= shortest;
    if (!upOk && !downOk) break;
    if (upOk && (!downOk || up <= down)) {
      picked.push(upIndex as number);
      above++;
    } else {
      picked.push(downIndex as number);
      below--;
    }
  }
  return picked;
}

/**
 * Picks the candidate closest to `wanted`, or nothing when none is close enough.
 *
 * Used for "did you mean" hints on headings, files and config keys, so a suggestion is always
 * one of the real candidates. Case is ignored; a candidate that contains `wanted` (or is
 * contained in it) counts as close, so `#intro` finds `#introduction`; otherwise the edit
 * distance must be at most a third of the longer word (and at least 2 edits are allowed). Ties
 * go to the candidate listed first.
 *
 * The search is bounded: words over {@link maxSuggestionLength} get no suggestion; containment is
 * looked up in a three-character index of the set and by each substring of `wanted`; edit distance
 * is computed for at most {@link maxComparisonsPerCall} candidates of the nearest lengths, and
 * for none once a set has used up {@link maxComparisonsPerSet}. A set passed again (the same
 * object) reuses its index and earlier answers.
 */
export function closest(wanted: string, candidates: Iterable<string>): string | undefined {
  const target = wanted.toLowerCase();
  if (target.length > maxSuggestionLength) return undefined;
  const prepared = prepare(candidates);
  if (prepared.memo.has(target)) return prepared.memo.get(target);
  const contains = containing(prepared, target);
  const budget = Math.max(0, Math.min(maxComparisonsPerCall, maxComparisonsPerSet - prepared.comparisons));
  let best: number | undefined;
  let bestScore = Infinity;
  const consider = (index: number, score: number): void => {
    if (score < bestScore || (score === bestScore && best !== undefined && index < best)) {
      best = index;
      bestScore = score;
    }
  };
  // A containing candidate ranks by how much it adds; others rank after any equally distant one.
  for (const index of contains) consider(index, Math.abs((prepared.lowers[index]?.length ?? 0) - target.length));
  for (const index of byNearLength(prepared, target.length, budget)) {
    if (contains.has(index)) continue;
    const lower = prepared.lowers[index] ?? '';
    const limit = editLimit(target.length, lower.length);
    if (Math.abs(lower.length - target.length) > limit) continue;
    prepared.comparisons++;
    const edits = distance(target, lower);
    if (edits <= limit) consider(index, edits + 0.5);
  }
  const answer = best === undefined ? undefined : prepared.originals[best];
  prepared.memo.set(target, answer);
  return answer;
}
