import { describe, expect, it } from 'vitest';
import { createSlugger, extractDocument, slugify } from '../src/extract/index.js';

/** The heading slugs of `text`, in document order. */
function slugs(text: string): string[] {
  return extractDocument('doc.md', text).headings.map((heading) => heading.slug);
}

describe('slugify', () => {
  it.each([
    ['Getting Started', 'getting-started'],
    ['A - B', 'a---b'],
    ['A & B', 'a--b'],
    ['Installation 📦', 'installation-'],
    [':desert_island: Installation', 'desert_island-installation'],
    ['Foo {#bar}', 'foo-bar'],
    ['Fünf süße Äpfel', 'fünf-süße-äpfel'],
    ['What is `this`?', 'what-is-this'],
  ])('slugs %j as %j', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('does not number repeats', () => {
    expect([slugify('Same'), slugify('Same')]).toEqual(['same', 'same']);
  });
});

describe('createSlugger', () => {
  it('numbers repeats in order and keeps sluggers independent', () => {
    const first = createSlugger();
    const second = createSlugger();
    expect([first.slug('Intro'), first.slug('Intro'), first.slug('intro'), second.slug('Intro')]).toEqual([
      'intro',
      'intro-1',
      'intro-2',
      'intro',
    ]);
  });
});

describe('heading slugs as GitHub renders them', () => {
  it('keeps the text of inline code, emphasis, strikethrough and links', () => {
    expect(slugs('## `code` *em* **strong** ~~gone~~ [link](x.md)')).toEqual(['code-em-strong-gone-link']);
  });

  it('drops raw inline HTML tags but keeps the text between them', () => {
    expect(slugs('## Foo <code>bar</code>\n## A <img src="x.png" alt="pic"> B')).toEqual(['foo-bar', 'a--b']);
  });

  it('drops image alt text, leaving the spaces around badges', () => {
    expect(slugs('# Name [![a](b.svg)](c)\n# Two ![x](y.png) ![z](w.png)')).toEqual(['name-', 'two--']);
  });

  it('keeps emoji shortcodes as text and removes Unicode emoji', () => {
    expect(slugs('## :desert_island: Installation\n## Installation 📦')).toEqual([
      'desert_island-installation',
      'installation-',
    ]);
  });

  it('turns ` - ` into three dashes and `&` into two', () => {
    expect(slugs('## A - B\n## A & B\n## C &amp; D')).toEqual(['a---b', 'a--b', 'c--d']);
  });

  it('keeps the space a leading emoji or HTML anchor leaves, as a leading dash', () => {
    const document = extractDocument('doc.md', '## 🧐 About\n## <a name="Old-Name"></a> Usage');
    expect(document.headings.map((heading) => heading.slug)).toEqual(['-about', '-usage']);
    expect(document.anchors.map((anchor) => [anchor.source, anchor.id])).toEqual([
      ['heading', '-about'],
      ['heading', '-usage'],
      ['html-name', 'Old-Name'],
    ]);
  });

  it('treats `{#id}` as part of the text, not as an id', () => {
    expect(slugs('## Foo {#bar}')).toEqual(['foo-bar']);
  });

  it('decodes character references before slugging', () => {
    expect(slugs('## Caf&eacute; &#x26; Bar &lt;3')).toEqual(['café--bar-3']);
  });

  it('numbers duplicate headings in document order', () => {
    expect(slugs('# Setup\n## Setup\n### Setup\n## Setup-1')).toEqual(['setup', 'setup-1', 'setup-2', 'setup-1-1']);
  });

  it('slugs setext headings and headings nested in lists and block quotes', () => {
    const text = 'Setext One\n==========\n\nSetext Two\n---\n\n- ## In a List\n\n> ### In a Quote';
    const document = extractDocument('doc.md', text);
    expect(document.headings).toEqual([
      {
        depth: 1,
        text: 'Setext One',
        slug: 'setext-one',
        range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 2, column: 11, offset: 21 } },
      },
      {
        depth: 2,
        text: 'Setext Two',
        slug: 'setext-two',
        range: { start: { line: 4, column: 1, offset: 23 }, end: { line: 5, column: 4, offset: 37 } },
      },
      {
        depth: 2,
        text: 'In a List',
        slug: 'in-a-list',
        range: { start: { line: 7, column: 3, offset: 41 }, end: { line: 7, column: 15, offset: 53 } },
      },
      {
        depth: 3,
        text: 'In a Quote',
        slug: 'in-a-quote',
        range: { start: { line: 9, column: 3, offset: 57 }, end: { line: 9, column: 17, offset: 71 } },
      },
    ]);
    expect(document.anchors.map((anchor) => [anchor.source, anchor.id, anchor.range])).toEqual(
      document.headings.map((heading) => ['heading', heading.slug, heading.range]),
    );
  });

  it('gives an empty heading a slug but no anchor', () => {
    const document = extractDocument('doc.md', '#\n\n## Text');
    expect(document.headings.map((heading) => heading.slug)).toEqual(['', 'text']);
    expect(document.anchors.map((anchor) => anchor.id)).toEqual(['text']);
  });
});
