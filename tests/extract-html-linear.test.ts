import { describe, expect, it } from 'vitest';
import { extractDocument } from '../src/extract/index.js';

/** `count` inline `<a href="#x">t` tags that are never closed, in one paragraph (the shape from issue 9). */
function unclosedAnchors(count: number): string {
  return `${Array.from({ length: count }, () => '<a href="#x">t').join('\n')}\n`;
}

/** Wall time of extracting `text`, in milliseconds. */
function timeExtract(text: string): number {
  const started = performance.now();
  extractDocument('doc.md', text);
  return performance.now() - started;
}

describe('raw-HTML scan is linear in the input', () => {
  it('closes an open <a> when the next <a> starts, as HTML does, so each link holds only its own text', () => {
    const { links } = extractDocument('doc.md', '<a href="#one">first <a href="#two">second <a href="#three">third</a> after');
    expect(links.map((link) => [link.url, link.text])).toEqual([
      ['#one', 'first'],
      ['#two', 'second'],
      ['#three', 'third'],
    ]);
  });

  it('keeps the text of 2,000 unclosed anchors to one word each (the stack of open anchors never grows)', () => {
    const { links } = extractDocument('doc.md', unclosedAnchors(2_000));
    expect(links).toHaveLength(2_000);
    expect(links.every((link) => link.text === 't')).toBe(true);
  });

  it('takes roughly 4x the time for 4x the tags (2,000 vs 8,000), not 16x', () => {
    extractDocument('doc.md', unclosedAnchors(1_000)); // warm up the parser and the JIT
    const small = timeExtract(unclosedAnchors(2_000));
    const large = timeExtract(unclosedAnchors(8_000));
    // Quadratic growth measured 13x before the fix; linear growth measures 3-5x.
    expect(large / small).toBeLessThan(8);
  });
});
