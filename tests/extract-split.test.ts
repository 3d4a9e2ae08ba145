import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../src/extract/document.js';
import { extractInChunks, splitPoints, walkChunk, type Chunk } from '../src/extract/split.js';
import type { Document } from '../src/types.js';
import { block } from './helpers/fuzz.js';

/** A file cut wherever `splitPoints` allows with chunks of `chunkChars`, every chunk parsed in-process. */
async function inChunks(text: string, chunkChars = 1): Promise<{ document: Document; points: number[] }> {
  const points = splitPoints(text, chunkChars);
  const document = await extractInChunks('doc.md', text, points, async (chunk) => walkChunk(chunk));
  return { document, points };
}

/** Blocks that can swallow a cut: unclosed fences and HTML blocks that run past blank lines, inside containers too. */
const swallowing = fc.constantFrom(
  '```',
  '~~~~ md',
  '````\n```',
  '<!--',
  '-->',
  '<pre>',
  '</pre>',
  '<script>',
  '<?php',
  '<![CDATA[',
  '- item\n  ```',
  '> ```',
  '1. item\n\n   ~~~',
  '```a`b',
  '    ```',
  '---\ntitle: x\n\n# comment\n---',
);

const file = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: block }, { weight: 1, arbitrary: swallowing }, { weight: 2, arbitrary: fc.constantFrom('# Intro', '## Intro', '# A') }), {
      minLength: 2,
      maxLength: 14,
    }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  // A definition anywhere keeps a file whole, so take them out to reach the cuts.
  .map(([blocks, ending]) => blocks.join('\n\n').replaceAll(']:', '] :').replace(/\r\n|\r|\n/g, ending));

describe('a large file cut into chunks', () => {
  it('gives exactly the document that parsing it whole gives, wherever the cuts fall', async () => {
    let cut = 0;
    await fc.assert(
      fc.asyncProperty(file, async (text) => {
        const { document, points } = await inChunks(text);
        if (points.length > 0) cut += 1;
        expect(document).toEqual(extractDocument('doc.md', text));
      }),
      { numRuns: 600 },
    );
    // Most files were really cut (the property is not about files left whole).
    expect(cut).toBeGreaterThan(300);
  });

  it('cuts only before a heading at the first column after a blank line, past the front matter', () => {
    const text = '---\na: 1\n\n# not a heading\n---\n\nText\n# no blank line before\n\n  # indented\n\n#hash only\n\n## Here\n\n- [a](#here)\n';
    expect(splitPoints(text, 1)).toEqual([text.indexOf('## Here')]);
  });

  it('does not cut a file that defines a reference or footnote, whose labels another chunk could use', () => {
    const text = '# A\n\n[x][r]\n\n# B\n\n[r]: https://example.test\n';
    expect(splitPoints(text, 1)).toEqual([]);
    expect(splitPoints('# A\n\ntext[^1]\n\n# B\n\n[^1]: note\n', 1)).toEqual([]);
  });

  it('keeps a cut the line scan proposed inside an HTML comment or a fence in a list from holding', async () => {
    const comment = '# A\n\n<!--\n\n# Hidden\n\n-->\n\n# B\n\n[b](#b) [h](#hidden)\n';
    const hidden = comment.indexOf('# Hidden');
    expect(splitPoints(comment, 1)).toContain(hidden);
    const chunk: Chunk = { file: 'doc.md', text: comment, start: 0, end: hidden };
    expect(walkChunk(chunk)).toBeUndefined();
    const whole = extractDocument('doc.md', comment);
    expect((await inChunks(comment)).document).toEqual(whole);
    expect(whole.anchors.map((anchor) => anchor.id)).toEqual(['a', 'b']);

    // The scan takes the list item's fence for one at the top, so the fence after `# C` looks closed: it is not.
    const list = '- item\n  ```\n  code\n\n# C\n\n```\ncode\n\n# D\n\ntext\n';
    const { document, points } = await inChunks(list);
    expect(points).toContain(list.indexOf('# D'));
    expect(document).toEqual(extractDocument('doc.md', list));
    expect(document.headings.map((heading) => heading.text)).toEqual(['C']);
  });

  it('numbers repeated heading slugs across chunks, as GitHub does over the whole file', async () => {
    const text = ['# Setup', 'one', '# Setup', 'two', '# Setup', '[first](#setup) [third](#setup-2)'].join('\n\n');
    const { document, points } = await inChunks(text);
    expect(points).toHaveLength(2);
    expect(document.anchors.map((anchor) => anchor.id)).toEqual(['setup', 'setup-1', 'setup-2']);
    expect(document).toEqual(extractDocument('doc.md', text));
  });

  it('keeps lines, columns and offsets of the whole file, with CRLF endings and non-ASCII text', async () => {
    const text = ['# Tête', '- [é](https://example.test/é?utm_source=x) <a href="#tête">t</a>', '# Zwei', '| a | b |\n| - | - |\n| [x](#zwei) | <img src="i.png"> |'].join('\r\n\r\n');
    const { document, points } = await inChunks(text);
    expect(points.length).toBeGreaterThan(0);
    expect(document).toEqual(extractDocument('doc.md', text));
    const last = document.links.at(-1);
    expect(text.slice(last?.range.start.offset, last?.range.end.offset)).toBe('<img src="i.png">');
    expect(last?.range.start.line).toBe(9);
  });
});
