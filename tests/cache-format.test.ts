import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../src/extract/cache-format.js';
import { extractDocument } from '../src/extract/index.js';
import { documentBytes } from './helpers/fuzz.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** What a cache entry stores for `text`: the extraction without its file name. */
function entryOf(text: string): object {
  const { file: _file, ...entry } = extractDocument('doc.md', text);
  return entry;
}

/** Writes and reads back an entry as the parse cache does. */
function roundTrip(entry: object, text: string): unknown {
  const json = encodeEntry(entry, text);
  if (json === undefined) throw new Error('not encodable');
  return decodeEntry(JSON.parse(json), text);
}

describe('parse cache entry format', () => {
  it('gives back exactly the extraction of 1,000 random documents (line endings, BOM, tabs, astral characters)', () => {
    fc.assert(
      fc.property(documentBytes, (bytes) => {
        const text = decoder.decode(bytes);
        const entry = entryOf(text);
        expect(roundTrip(entry, text)).toEqual(entry);
      }),
      { numRuns: 1_000 },
    );
  });

  it('writes points as offsets, so an entry is far smaller than the plain JSON', () => {
    const text = Array.from({ length: 50 }, (_, i) => `- [item ${i}](./page-${i}.md#part-${i}) and ![](img\t${i}.png)\r\n`).join('');
    const entry = entryOf(text);
    const json = encodeEntry(entry, text) as string;
    expect(json).not.toContain('"line"');
    expect(json.length).toBeLessThan(JSON.stringify(entry).length / 2);
    expect(decodeEntry(JSON.parse(json), text)).toEqual(entry);
  });

  it('keeps a point in full when the text does not give it back from its offset', () => {
    const text = 'one\ntwo\n';
    const odd = { links: [{ range: { start: { line: 9, column: 9, offset: 4 }, end: { line: 2, column: 4, offset: 7 } } }] };
    const json = encodeEntry(odd, text) as string;
    expect(JSON.parse(json)).toEqual({ links: [{ range: { start: { line: 9, column: 9, offset: 4 }, end: 7 } }] });
    expect(decodeEntry(JSON.parse(json), text)).toEqual(odd);
  });

  it('stores nothing for an extraction that already holds a number under `start` or `end`', () => {
    expect(encodeEntry({ links: [{ edit: { start: 1, end: 2, text: 'x' } }] }, 'abc')).toBeUndefined();
  });
});
