import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The pool runs the built worker, so these tests load the built modules (`npm test` builds first).
import { loadDocuments } from '../dist/extract/load.js';
import { parseOne } from '../dist/extract/parse-one.js';
import { parseInPool, poolSize, poolThreshold, twoCorePoolChars, type ParseLoad } from '../dist/extract/pool.js';
import { splitChars, splitPoints } from '../dist/extract/split.js';
import { nodeFileSystem } from '../dist/io/fs.js';

let dir: string;
const files: string[] = [];

/** Files of every kind the loader meets: links, anchors, references, HTML, a shape it skips, bytes that are not text. */
function content(index: number): string | Uint8Array {
  if (index === 7) return new Uint8Array([0xff, 0xfe, 0x00, 0x41]);
  if (index === 11) return `${'- '.repeat(10_000)}x\n`;
  return [
    `# File ${index}`,
    '',
    `## Part ${index % 3}`,
    '',
    `- [next](f${index + 1}.md#part-${(index + 1) % 3}) and [ref][r${index}] <a href="#file-${index}">top</a>`,
    `- ![logo](img/${index}.png) https://example.com/${index}?utm_source=x`,
    '',
    `[r${index}]: https://docs.example.org/${index} "Title"`,
    '',
  ].join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'waymark-pool-'));
  for (let index = 0; index < 60; index += 1) {
    const file = `f${index}.md`;
    files.push(file);
    await writeFile(path.join(dir, file), content(index));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the parse pool', () => {
  it('stays in-process for a handful of files or one core, and uses every core for many', () => {
    const many = (count: number, total = twoCorePoolChars): ParseLoad => ({ count, total, largest: 1000 });
    expect(poolSize(many(poolThreshold - 1), undefined, 8)).toBe(0);
    expect(poolSize(many(1000), undefined, 1)).toBe(0);
    expect(poolSize(many(1000), 1, 8)).toBe(0);
    expect(poolSize(many(1000), undefined, 2)).toBe(2);
    expect(poolSize(many(1000), undefined, 64)).toBe(8);
    expect(poolSize(many(poolThreshold), undefined, 64)).toBe(Math.ceil(poolThreshold / 4));
    // One file large enough to be cut into chunks takes every core.
    expect(poolSize({ count: 1, total: splitChars, largest: splitChars }, undefined, 4)).toBe(4);
    expect(poolSize({ count: 1, total: splitChars, largest: splitChars }, undefined, 1)).toBe(0);
    expect(poolSize({ count: 1, total: splitChars, largest: splitChars }, undefined, 2)).toBe(2);
  });

  it('on two cores leaves many small files in-process until there is enough text for the pool to save memory', () => {
    const small = { count: 1000, total: twoCorePoolChars - 1, largest: 1000 };
    expect(poolSize(small, undefined, 2)).toBe(0);
    expect(poolSize({ ...small, total: twoCorePoolChars }, undefined, 2)).toBe(2);
    // Three cores or more, or threads asked for, take the pool as before.
    expect(poolSize(small, undefined, 3)).toBe(3);
    expect(poolSize(small, 2, 2)).toBe(2);
  });

  it('cuts a large file into chunks parsed side by side, with the document parsing it whole gives', async () => {
    const sections = Array.from({ length: 130 }, (_, section) => [
      `## Part ${section % 7}`,
      '',
      ...Array.from({ length: 12 }, (_, item) => `- [item ${item}](https://example.test/${section}/${item}?utm_source=x) [up](#part-${item % 7}-${section % 3}) <a name="s${section}-${item}">é</a>`),
      '',
      section % 10 === 0 ? '```\n# not a heading\n\n```\n' : '',
    ].join('\n'));
    const text = `# Large\n\n${sections.join('\n')}`;
    expect(text.length).toBeGreaterThanOrEqual(splitChars);
    const items = [{ file: 'large.md', text }, { file: 'small.md', text: '# Small\n\n[a](#small)\n' }];
    const pooled = await parseInPool(items, 2);
    expect(splitPoints(text, 48 * 1024).length).toBeGreaterThan(1);
    expect(pooled).toEqual(items.map(parseOne));

    // The same file with a shape the parser handles too slowly gets the notice parsing it whole gives.
    const slow = [{ file: 'slow.md', text: `${text}\n\n# Deep\n\n${'- '.repeat(10_000)}x\n` }];
    const notice = await parseInPool(slow, 2);
    expect(notice).toEqual(slow.map(parseOne));
    expect(notice?.[0]?.kind).toBe('notice');
  });

  it('gives exactly what parsing in-process gives, in order', async () => {
    const items = files.map((file, index) => ({ file, text: typeof content(index) === 'string' ? (content(index) as string) : 'plain' }));
    const pooled = await parseInPool(items, 2);
    expect(pooled).toBeDefined();
    expect(pooled).toEqual(items.map(parseOne));
  });

  it('parses a batch again in-process when its worker runs out of heap', async () => {
    // Too much for a worker held to 16 MB, and not cut into chunks (it defines a reference).
    const text = `[r]: https://example.test\n\n${Array.from({ length: 3000 }, (_, index) => `- [item ${index}][r] [b](#x-${index})`).join('\n')}\n`;
    const items = [{ file: 'big.md', text }, { file: 'small.md', text: '# Small\n' }];
    const pooled = await parseInPool(items, 2, { heapMb: 16 });
    expect(pooled).toEqual(items.map(parseOne));
    expect(pooled?.[0]?.kind).toBe('document');
  });

  it('loads the same documents and notices with threads as without', async () => {
    const inProcess = await loadDocuments(files, dir, nodeFileSystem, undefined, { threads: 1 });
    const pooled = await loadDocuments(files, dir, nodeFileSystem, undefined, { threads: 2 });
    expect(pooled).toEqual(inProcess);
    expect(inProcess.documents.map((document) => document.file)).toEqual(files.filter((_, index) => index !== 7 && index !== 11));
    expect(inProcess.notices.map((notice) => [notice.file, notice.kind])).toEqual([
      ['f7.md', expect.any(String)],
      ['f11.md', expect.any(String)],
    ]);
    expect(inProcess.documents[0]?.links.length).toBeGreaterThanOrEqual(5);
  });
});
