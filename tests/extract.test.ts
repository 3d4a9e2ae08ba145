import { describe, expect, it } from 'vitest';
import { extractDocument } from '../src/extract/index.js';
import type { Document, Link, Point, Range } from '../src/types.js';

/** A point, written line, column, offset. */
function at(line: number, column: number, offset: number): Point {
  return { line, column, offset };
}

/** A range on line `line` whose text starts at offset `lineStart`, from column `from` to column `to` (exclusive). */
function cols(from: number, to: number, line = 1, lineStart = 0): Range {
  return { start: at(line, from, lineStart + from - 1), end: at(line, to, lineStart + to - 1) };
}

/** The source text a range covers. */
function slice(text: string, range: Range | undefined): string | undefined {
  return range === undefined ? undefined : text.slice(range.start.offset, range.end.offset);
}

/** Extracts `text` as `doc.md`. */
function extract(text: string): Document {
  return extractDocument('doc.md', text);
}

describe('inline links and images', () => {
  it('counts a U+FEFF left at the start of the text (a file with two BOMs) as text, so positions stay exact', () => {
    // decodeSource drops the file's BOM; a second one is text to GitHub, and micromark would drop it
    // without counting it, shifting every offset after it by one.
    const text = '\ufeff see https://a.test/p and [x](https://a.test/q)\n# Title';
    const { links, anchors } = extract(text);
    expect(links.map((link) => slice(text, link.urlRange))).toEqual(['https://a.test/p', 'https://a.test/q']);
    expect(links.map((link) => link.range.start.column)).toEqual([7, 28]);
    expect(anchors.map((anchor) => anchor.id)).toContain('title');
  });

  it('records url, text, syntax and exact ranges', () => {
    const text = '[Docs *here*](https://a.test/x "Title") and ![alt `c`](img/b.png)';
    const { links } = extract(text);
    expect(links).toEqual<Link[]>([
      {
        kind: 'link',
        syntax: 'inline',
        url: 'https://a.test/x',
        text: 'Docs here',
        range: cols(1, 40),
        urlRange: cols(15, 31),
      },
      {
        kind: 'image',
        syntax: 'inline',
        url: 'img/b.png',
        text: 'alt c',
        range: cols(45, 66),
        urlRange: cols(56, 65),
      },
    ]);
    expect(links.map((link) => slice(text, link.urlRange))).toEqual(['https://a.test/x', 'img/b.png']);
  });

  it('finds the destination after tricky link text and inside angle brackets', () => {
    const text = [
      '[a [nested] \\] `]` text](<./with space.md> "t")',
      '![alt `]` [x]](a(b)c.png)',
      '[](empty-text.md)',
      '[no url]()',
      '[esc](a\\)b.md)',
    ].join('\n');
    const { links } = extract(text);
    expect(links.map((link) => [link.url, link.text, slice(text, link.urlRange)])).toEqual([
      ['./with space.md', 'a [nested] ] ] text', './with space.md'],
      ['a(b)c.png', 'alt ] [x]', 'a(b)c.png'],
      ['empty-text.md', '', 'empty-text.md'],
      ['', 'no url', ''],
      ['a)b.md', 'esc', 'a\\)b.md'],
    ]);
    expect(links[1]?.urlRange).toEqual(cols(16, 25, 2, 48));
    expect(links[3]?.urlRange).toEqual(cols(10, 10, 4, 92));
  });

  it('records a link around an image as two links', () => {
    const text = '[![badge](https://b.test/b.svg)](https://c.test/)';
    const { links } = extract(text);
    expect(links).toEqual<Link[]>([
      {
        kind: 'link',
        syntax: 'inline',
        url: 'https://c.test/',
        text: 'badge',
        range: cols(1, 50),
        urlRange: cols(34, 49),
      },
      {
        kind: 'image',
        syntax: 'inline',
        url: 'https://b.test/b.svg',
        text: 'badge',
        range: cols(2, 32),
        urlRange: cols(11, 31),
      },
    ]);
  });

  it('gives a link spanning lines a multi-line range', () => {
    const text = 'Intro [first\nsecond](\n  next.md) end';
    const [link] = extract(text).links;
    expect(link).toEqual<Link>({
      kind: 'link',
      syntax: 'inline',
      url: 'next.md',
      text: 'first\nsecond',
      range: { start: at(1, 7, 6), end: at(3, 11, 32) },
      urlRange: { start: at(3, 3, 24), end: at(3, 10, 31) },
    });
  });
});

describe('references and definitions', () => {
  const text = [
    'Full [the text][My  Label], collapsed [my label][], shortcut [My Label] and ![logo][img].',
    '',
    '[my label]: https://a.test/ref "Title"',
    '[IMG]: <./logo.png>',
    '[my label]: https://a.test/ignored',
  ].join('\n');
  const line3 = text.indexOf('[my label]: https');
  const line4 = text.indexOf('[IMG]');
  const line5 = text.lastIndexOf('[my label]');

  it('resolves every reference form to its definition and records definitions', () => {
    expect(extract(text).links).toEqual<Link[]>([
      {
        kind: 'link',
        syntax: 'full',
        url: 'https://a.test/ref',
        text: 'the text',
        range: cols(6, 27),
        label: 'My  Label',
        definition: cols(1, 39, 3, line3),
      },
      {
        kind: 'link',
        syntax: 'collapsed',
        url: 'https://a.test/ref',
        text: 'my label',
        range: cols(39, 51),
        label: 'my label',
        definition: cols(1, 39, 3, line3),
      },
      {
        kind: 'link',
        syntax: 'shortcut',
        url: 'https://a.test/ref',
        text: 'My Label',
        range: cols(62, 72),
        label: 'My Label',
        definition: cols(1, 39, 3, line3),
      },
      {
        kind: 'image',
        syntax: 'full',
        url: './logo.png',
        text: 'logo',
        range: cols(77, 89),
        label: 'img',
        definition: cols(1, 20, 4, line4),
      },
      {
        kind: 'definition',
        syntax: 'definition',
        url: 'https://a.test/ref',
        text: '',
        range: cols(1, 39, 3, line3),
        urlRange: cols(13, 31, 3, line3),
        label: 'my label',
      },
      {
        kind: 'definition',
        syntax: 'definition',
        url: './logo.png',
        text: '',
        range: cols(1, 20, 4, line4),
        urlRange: cols(9, 19, 4, line4),
        label: 'IMG',
      },
    ]);
    expect(extract(text).undefinedReferences).toEqual([]);
    // GitHub uses the first definition of a label; the later one renders nothing and is not a link.
    expect(extract(text).unusedDefinitions).toEqual([
      { label: 'my label', url: 'https://a.test/ignored', range: cols(1, 35, 5, line5), shadowedBy: cols(1, 39, 3, line3) },
    ]);
  });

  it('finds definitions nested in block quotes and list items', () => {
    const quoted = '> [a]: ./a.md\n\n- [b]:\n  ./b.md "t"\n\n[a] [b]';
    const links = extract(quoted).links;
    expect(links.map((link) => [link.syntax, link.url, slice(quoted, link.urlRange)])).toEqual([
      ['definition', './a.md', './a.md'],
      ['definition', './b.md', './b.md'],
      ['shortcut', './a.md', undefined],
      ['shortcut', './b.md', undefined],
    ]);
  });
});

describe('autolinks and literal URLs', () => {
  it('records autolinks with the URL inside the brackets and literals as written', () => {
    const text = 'See <https://a.test/x>, https://b.test/y?z=1. and www.c.test/w or <me@d.test>.';
    expect(extract(text).links).toEqual<Link[]>([
      {
        kind: 'link',
        syntax: 'autolink',
        url: 'https://a.test/x',
        text: 'https://a.test/x',
        range: cols(5, 23),
        urlRange: cols(6, 22),
      },
      {
        kind: 'link',
        syntax: 'literal',
        url: 'https://b.test/y?z=1',
        text: 'https://b.test/y?z=1',
        range: cols(25, 45),
        urlRange: cols(25, 45),
      },
      {
        kind: 'link',
        syntax: 'literal',
        url: 'http://www.c.test/w',
        text: 'www.c.test/w',
        range: cols(51, 63),
        urlRange: cols(51, 63),
      },
      {
        kind: 'link',
        syntax: 'autolink',
        url: 'mailto:me@d.test',
        text: 'me@d.test',
        range: cols(67, 78),
        urlRange: cols(68, 77),
      },
    ]);
  });
});

describe('code', () => {
  it('finds nothing in code spans, fenced or indented code', () => {
    const text = [
      'Inline `[a](b.md)` and `` <https://a.test> `` and `<a href="c">`.',
      '',
      '```md',
      '[d](e.md) https://f.test <img src="g.png"> [h][] <!-- waymark-disable -->',
      '```',
      '',
      '    [i](j.md) <a id="k"></a>',
      '',
      '~~~',
      '# Not a heading',
      '~~~',
      '',
      '[h]: ./h.md',
    ].join('\n');
    const document = extract(text);
    expect(document.links).toEqual([]);
    expect(document.unusedDefinitions.map((definition) => definition.url)).toEqual(['./h.md']);
    expect(document.anchors).toEqual([]);
    expect(document.headings).toEqual([]);
    expect(document.directives).toEqual([]);
    expect(document.undefinedReferences).toEqual([]);
  });

  it('does not treat HTML comments as links', () => {
    const text = '<!-- [a](b.md) <a href="c.md"> -->\n\nText <!-- https://d.test <img src="e"> --> end';
    expect(extract(text).links).toEqual([]);
  });
});

describe('undefined references', () => {
  it('reports full and collapsed references without a definition, with ranges', () => {
    const text = 'A [text][missing] and [Gone][] but [x] and [ok][Defined].\n\n[defined]: ./d.md';
    expect(extract(text).undefinedReferences).toEqual([
      { label: 'missing', range: cols(3, 18) },
      { label: 'Gone', range: cols(23, 31) },
    ]);
  });

  it('ignores escaped brackets, code, links and footnotes', () => {
    const text = [
      '\\[a][b] and [c\\][d] and [e]\\[f] and `[g][h]` and [i][j](k.md) and [^1][] and [l][^2]',
      '',
      '<div>[m][n]</div>',
    ].join('\n');
    expect(extract(text).undefinedReferences).toEqual([]);
  });

  it('finds them in headings, table cells, emphasis and across lines', () => {
    const text = [
      '# Title [a][b]',
      '',
      '| col |',
      '| --- |',
      '| *[c][d]* |',
      '',
      'Some [long',
      'text][e] here, [f]',
      '[g] and [![img][h]][] and [`code` <b>html</b> ![i](j.png)][k] and [[l](m.md)][n]',
    ].join('\n');
    const document = extract(text);
    expect(document.undefinedReferences.map((reference) => [reference.label, slice(text, reference.range)])).toEqual([
      ['b', '[a][b]'],
      ['d', '[c][d]'],
      ['e', '[long\ntext][e]'],
      ['h', '[img][h]'],
      ['k', '[`code` <b>html</b> ![i](j.png)][k]'],
    ]);
    expect(document.undefinedReferences[2]?.range).toEqual({ start: at(7, 6, 51), end: at(8, 9, 65) });
  });

  it('reports a defined label followed by an undefined one, which renders as plain text', () => {
    const text = 'See [known][unknown].\n\n[known]: ./k.md';
    const document = extract(text);
    expect(document.links).toEqual([]);
    expect(document.unusedDefinitions.map((definition) => definition.label)).toEqual(['known']);
    expect(document.undefinedReferences).toEqual([{ label: 'unknown', range: cols(5, 21) }]);
  });

  it('matches labels case-insensitively with whitespace collapsed', () => {
    const text = '[a][Some\n  LABEL] and [ÄÖ][]\n\n[some label]: ./x.md\n[äö]: ./y.md';
    const document = extract(text);
    expect(document.undefinedReferences).toEqual([]);
    expect(document.links.filter((link) => link.kind !== 'definition').map((link) => link.url)).toEqual([
      './x.md',
      './y.md',
    ]);
  });
});

describe('raw HTML', () => {
  it('reads links, images and anchors from an HTML block with exact positions', () => {
    const text = [
      '<p align="center" id="Top">',
      '  <a href="https://a.test/?x=1&amp;y=2" name="logo"><img src=\'logo.png\' alt="The logo"> Home</a>',
      '  <picture><source media="(dark)" srcset=" dark.png 1x, dark@2.png 2x"><img src=light.png></picture>',
      '</p>',
    ].join('\n');
    const line2 = text.indexOf('  <a');
    const line3 = text.indexOf('  <picture');
    const document = extract(text);
    expect(document.links).toEqual<Link[]>([
      {
        kind: 'link',
        syntax: 'html',
        url: 'https://a.test/?x=1&y=2',
        text: 'The logo Home',
        range: cols(3, 53, 2, line2),
        urlRange: cols(12, 39, 2, line2),
      },
      {
        kind: 'image',
        syntax: 'html',
        url: 'logo.png',
        text: 'The logo',
        range: cols(53, 88, 2, line2),
        urlRange: cols(63, 71, 2, line2),
      },
      {
        kind: 'image',
        syntax: 'html',
        url: 'dark.png',
        text: '',
        range: cols(12, 72, 3, line3),
        urlRange: cols(44, 52, 3, line3),
      },
      {
        kind: 'image',
        syntax: 'html',
        url: 'light.png',
        text: '',
        range: cols(72, 91, 3, line3),
        urlRange: cols(81, 90, 3, line3),
      },
    ]);
    expect(slice(text, document.links[0]?.urlRange)).toBe('https://a.test/?x=1&amp;y=2');
    expect(document.anchors).toEqual([
      { id: 'Top', source: 'html-id', range: cols(1, 28) },
      { id: 'logo', source: 'html-name', range: cols(3, 53, 2, line2) },
    ]);
  });

  it('reads inline HTML tags and collects the text between them', () => {
    const text = 'Go <a href="./next.md" id="here">to *the* `next`</a> page or <A HREF=up.md>up</A>.';
    const document = extract(text);
    expect(document.links).toEqual<Link[]>([
      {
        kind: 'link',
        syntax: 'html',
        url: './next.md',
        text: 'to the next',
        range: cols(4, 34),
        urlRange: cols(13, 22),
      },
      { kind: 'link', syntax: 'html', url: 'up.md', text: 'up', range: cols(62, 76), urlRange: cols(70, 75) },
    ]);
    expect(document.anchors).toEqual([{ id: 'here', source: 'html-id', range: cols(4, 34) }]);
  });

  it('keeps id and name anchors as written, without advancing the heading slugger', () => {
    const text = '<a name="Intro"></a>\n\n## Intro\n\n<div id="intro"></div>\n\n## Intro';
    const document = extract(text);
    expect(document.anchors.map((anchor) => [anchor.source, anchor.id])).toEqual([
      ['html-name', 'Intro'],
      ['heading', 'intro'],
      ['html-id', 'intro'],
      ['heading', 'intro-1'],
    ]);
  });

  it('gives a raw HTML heading no heading anchor', () => {
    const document = extract('<h2>Raw heading</h2>\n\n<h3 id="custom">Other</h3>');
    expect(document.headings).toEqual([]);
    expect(document.anchors.map((anchor) => anchor.id)).toEqual(['custom']);
  });
});

describe('directives', () => {
  it('reads every directive form from block and inline comments', () => {
    const text = [
      '<!-- waymark-disable dead-link, missing-anchor -->',
      'Text <!-- waymark-disable-line tracking-param --> more',
      '<!--waymark-disable-next-line-->',
      '<!-- waymark-enable dead-link -- back on -->',
      '<!-- waymark-enable -->',
      '<!-- waymark-disabled nothing --> <!-- other comment -->',
    ].join('\n');
    const lineStart = (line: number): number => text.split('\n').slice(0, line - 1).join('\n').length + 1;
    expect(extract(text).directives).toEqual([
      { kind: 'disable', rules: ['dead-link', 'missing-anchor'], range: cols(1, 51) },
      { kind: 'disable-line', rules: ['tracking-param'], range: cols(6, 50, 2, lineStart(2)) },
      { kind: 'disable-next-line', rules: [], range: cols(1, 33, 3, lineStart(3)) },
      { kind: 'enable', rules: ['dead-link'], range: cols(1, 45, 4, lineStart(4)) },
      { kind: 'enable', rules: [], range: cols(1, 24, 5, lineStart(5)) },
    ]);
  });
});

describe('positions', () => {
  it('counts lines across CRLF and CR line endings', () => {
    const text = 'a\r\nb\r[c](d.md)\r\n\r\n## E';
    const document = extract(text);
    expect(document.links[0]?.range).toEqual({ start: at(3, 1, 5), end: at(3, 10, 14) });
    expect(document.headings[0]?.range).toEqual({ start: at(5, 1, 18), end: at(5, 5, 22) });
  });

  it('skips YAML front matter without shifting positions', () => {
    const text = '---\ntitle: A [b](c.md)\n---\n# Real\n[d](e.md)';
    const document = extract(text);
    expect(document.headings.map((heading) => heading.slug)).toEqual(['real']);
    expect(document.links).toEqual<Link[]>([
      { kind: 'link', syntax: 'inline', url: 'e.md', text: 'd', range: cols(1, 10, 5, 34), urlRange: cols(5, 9, 5, 34) },
    ]);
  });
});

describe('malformed input', () => {
  const samples = [
    '[unclosed',
    '[a](b',
    '![a](',
    '[a][b',
    '<a href="x',
    '<a href="x">no close',
    '<img src=',
    '</a></a> text </a>',
    '<!-- unterminated',
    '[a]: <',
    '<div id="a" id="b" name>',
    '`[a](b)',
    '\\',
    '# \n##\n',
    '*[a][b',
    ']][[]][]',
    '| a |\n|---|\n| [b][ |',
  ];

  it.each(samples)('extracts %j without throwing', (text) => {
    expect(extract(text).file).toBe('doc.md');
  });

  it('keeps every range inside the text for generated garbage', () => {
    const alphabet = ['[', ']', '(', ')', '<', '>', '!', '`', '\\', '*', '#', '\n', ' ', 'a', ':', '"', '=', '&', '|', '-'];
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = next() % 80;
      for (let index = 0; index < length; index++) text += alphabet[next() % alphabet.length] ?? '';
      const document = extract(text);
      const ranges = [
        ...document.links.flatMap((link) => (link.urlRange === undefined ? [link.range] : [link.range, link.urlRange])),
        ...document.anchors.map((anchor) => anchor.range),
        ...document.undefinedReferences.map((reference) => reference.range),
      ];
      for (const range of ranges) {
        expect(range.start.offset).toBeGreaterThanOrEqual(0);
        expect(range.end.offset).toBeGreaterThanOrEqual(range.start.offset);
        expect(range.end.offset).toBeLessThanOrEqual(text.length);
      }
    }
  });
});

describe('raw HTML links around images', () => {
  it('collects alt text from images between inline `<a>` and `</a>` tags', () => {
    const text = 'Logo: <a href="https://a.test/"><img src="logo.png" alt="Logo"></a> and <a href="b.md">![Badge](b.svg)</a>.';
    const document = extract(text);
    expect(document.links.map((link) => [link.kind, link.syntax, link.url, link.text])).toEqual([
      ['link', 'html', 'https://a.test/', 'Logo'],
      ['image', 'html', 'logo.png', 'Logo'],
      ['link', 'html', 'b.md', 'Badge'],
      ['image', 'inline', 'b.svg', 'Badge'],
    ]);
  });

  it('ends the text of an unclosed inline `<a>` with its paragraph', () => {
    const text = 'A <a href="x.md">dangling\nlink\n\nNext paragraph.';
    expect(extract(text).links.map((link) => link.text)).toEqual(['dangling link']);
  });
});
