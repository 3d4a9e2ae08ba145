import { distance } from 'fastest-levenshtein';

/**
 * Picks the candidate closest to `wanted`, or nothing when none is close enough.
 *
 * Used for "did you mean" hints on headings, files and config keys, so a suggestion is always
 * one of the real candidates. Case is ignored; a candidate that contains `wanted` (or is
 * contained in it) counts as close, so `#intro` finds `#introduction`; otherwise the edit
 * distance must be at most a third of the longer word (and at least 2 edits are allowed).
 */
export function closest(wanted: string, candidates: Iterable<string>): string | undefined {
  const target = wanted.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const edits = distance(target, lower);
    const contains = target.length >= 3 && lower.length >= 3 && (lower.includes(target) || target.includes(lower));
    const limit = Math.max(2, Math.floor(Math.max(target.length, lower.length) / 3));
    if (!contains && edits > limit) continue;
    // A containing candidate ranks by how much it adds; others rank after any equally distant one.
    const score = contains ? Math.abs(lower.length - target.length) : edits + 0.5;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
