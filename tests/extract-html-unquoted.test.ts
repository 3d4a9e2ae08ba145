import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { extractDocument } from '../src/extract/document.js';
import { tempTree } from './helpers/cli.js';

/** `syntax url "text" @column` for each link of a one-line document. */
function links(markdown: string): string[] {
  return extractDocument('x.md', markdown).links.map(
    (link) => `${link.syntax} ${link.url} "${link.text}" @${link.urlRange?.start.column ?? '-'}`,
  );
}

// cmark-gfm (GitHub) accepts any character but white space, quotes, `=`, `<`, `>` and a backtick in
// an unquoted attribute value; micromark stops at `/` and leaves the tag as text.
describe('raw HTML with unquoted attribute values', () => {
  it('reads a tag whose unquoted value holds a slash, with its text and the position of its URL', () => {
    expect(links('See <a href=docs/guide.md#setup>the guide</a> now.')).toEqual(['html docs/guide.md#setup "the guide" @13']);
  });

  it('never lets a GFM literal inside such a tag run on past its `>`', () => {
    expect(links('A <a href=https://github.com/acme/site/blob/main/doc.md#setup>x</a> b')).toEqual([
      'html https://github.com/acme/site/blob/main/doc.md#setup "x" @11',
    ]);
  });

  it('reads several such tags in one paragraph, beside tags micromark does recognise', () => {
    expect(links('<img src=a/b.png> and <a href="q.md">q</a> and <a href=c/d.md>d</a>')).toEqual([
      'html a/b.png "" @10',
      'html q.md "q" @32',
      'html c/d.md "d" @56',
    ]);
  });

  it('leaves code spans and what is not a tag alone', () => {
    expect(links('`<a href=docs/x.md>` and 1 <a/b 2 and <a href=x/y')).toEqual([]);
  });

  it('checks the destination: a missing heading is reported once, at the tag, and a good one passes', async () => {
    const tree = await tempTree({
      'README.md': '# T\n\nSee <a href=docs/guide.md#setup>1</a> and <a href=docs/guide.md#nope>2</a>.\n',
      'docs/guide.md': '# Guide\n\n## Setup\n',
    });
    try {
      const report = await check({ cwd: tree.dir, paths: ['README.md'], config: { ...defaultConfig, offline: true } });
      expect(report.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`)).toEqual([
        '3:43 missing-anchor Cannot find heading `#nope` in `docs/guide.md`',
      ]);
    } finally {
      await tree.cleanup();
    }
  });

  it('takes time linear in the number of `<` in a paragraph', () => {
    const line = (n: number) => 'x <b '.repeat(n) + '<a href=a/b>t</a>';
    const time = (n: number) => {
      const started = performance.now();
      extractDocument('x.md', line(n));
      return performance.now() - started;
    };
    time(2_000);
    const small = Math.max(time(4_000), 1);
    const large = time(16_000);
    expect(large / small).toBeLessThan(12);
  });
});
