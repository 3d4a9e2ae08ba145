import { distance } from 'fastest-levenshtein';
import { describe, expect, it } from 'vitest';
import { closest, maxSuggestionLength } from '../src/suggest.js';

/** The unbounded search, as "did you mean" is defined: every candidate compared. */
function reference(wanted: string, candidates: readonly string[]): string | undefined {
  const target = wanted.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const contains = target.length >= 3 && lower.length >= 3 && (lower.includes(target) || target.includes(lower));
    const limit = Math.max(2, Math.floor(Math.max(target.length, lower.length) / 3));
    const edits = distance(target, lower);
    if (!contains && edits > limit) continue;
    const score = contains ? Math.abs(lower.length - target.length) : edits + 0.5;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** A small seeded generator, so a failure names a case that can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function word(next: () => number): string {
  const letters = 'abcde-Ab';
  const length = Math.floor(next() * 14);
  let text = '';
  for (let i = 0; i < length; i++) text += letters[Math.floor(next() * letters.length)];
  return text;
}

describe('closest', () => {
  it('finds typos, containment and nothing for unrelated words', () => {
    const headings = new Set(['introduction', 'installation', 'bias-and-variance', 'faq']);
    expect(closest('intro', headings)).toBe('introduction');
    expect(closest('instalation', headings)).toBe('installation');
    expect(closest('bias-variance', headings)).toBe('bias-and-variance');
    expect(closest('fqa', headings)).toBe('faq');
    expect(closest('zebra-crossing', headings)).toBeUndefined();
  });

  it('agrees with the unbounded search on 3,000 random small sets', () => {
    const next = random(20261202);
    for (let round = 0; round < 3000; round++) {
      const candidates = Array.from({ length: 1 + Math.floor(next() * 12) }, () => word(next));
      const wanted = next() < 0.3 ? (candidates[0] ?? '') + word(next).slice(0, 2) : word(next);
      expect([round, closest(wanted, candidates)]).toEqual([round, reference(wanted, candidates)]);
    }
  });

  it('still finds a typo among 50,000 candidates, and answers a repeated miss from memory', () => {
    const headings = new Set(Array.from({ length: 50_000 }, (_, i) => `heading-number-${i}-about-topic`));
    expect(closest('heading-number-4-about-topik', headings)).toBe('heading-number-4-about-topic');
    expect(closest('heading-number-49999-about', headings)).toBe('heading-number-49999-about-topic');
    expect(closest('heading-number-4-about-topik', headings)).toBe('heading-number-4-about-topic');
  });

  it('gives no suggestion for a word longer than the limit', () => {
    expect(closest('a'.repeat(maxSuggestionLength + 1), ['a'.repeat(maxSuggestionLength + 1)])).toBeUndefined();
    expect(closest('b'.repeat(maxSuggestionLength), ['b'.repeat(maxSuggestionLength - 1)])).toBe('b'.repeat(maxSuggestionLength - 1));
  });
});
