import { distance } from 'fastest-levenshtein';

/**
 * Picks the candidate closest to `wanted`, or nothing when none is close enough.
 *
 * Used for "did you mean" hints on headings, files and config keys, so a suggestion is always
 * one of the real candidates.
 */
export function closest(wanted: string, candidates: Iterable<string>): string | undefined {
  const target = wanted.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = distance(target, candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(target.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}
