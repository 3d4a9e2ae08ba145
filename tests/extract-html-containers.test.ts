import { describe, expect, it } from 'vitest';
import { extractDocument } from '../src/extract/document.js';
import { valueMap } from '../src/extract/html.js';

/** What the file holds at each HTML link's URL range and tag range. */
function written(markdown: string): string[] {
  return extractDocument('x.md', markdown).links.map((link) => {
    const url = markdown.slice(link.urlRange?.start.offset, link.urlRange?.end.offset);
    const tag = markdown.slice(link.range.start.offset, link.range.end.offset);
    return `${link.range.start.line}:${link.range.start.column} ${url} | ${tag}`;
  });
}

// Inside a list item or block quote, micromark leaves the container's prefix out of an HTML node's
// value on its continuation lines; positions must still point into the file.
describe('raw HTML inside containers', () => {
  it('places a tag on an HTML block’s continuation line inside a list item (the block swallows a would-be nested item)', () => {
    // CommonMark: `<img` starts an HTML block (kind 7) that runs to the blank line, so line 2 is
    // part of it, indented two columns by the item.
    const markdown = "- <img src='https://a.test/1' alt=\"x\">\n  - <img src='https://a.test/2' alt=\"y\">\n";
    expect(written(markdown)).toEqual([
      "1:3 https://a.test/1 | <img src='https://a.test/1' alt=\"x\">",
      "2:5 https://a.test/2 | <img src='https://a.test/2' alt=\"y\">",
    ]);
  });

  it('places tags inside a block quote, with CRLF line ends', () => {
    const markdown = '> <div>\r\n> <a href="https://b.test/">x</a>\r\n>   <img src="https://b.test/i.png">\r\n> </div>\r\n';
    expect(written(markdown)).toEqual(['2:3 https://b.test/ | <a href="https://b.test/">', '3:5 https://b.test/i.png | <img src="https://b.test/i.png">']);
  });

  it('places an inline tag that spans two lines of a quoted paragraph', () => {
    expect(written('> para <a\n> href="https://c.test/">x</a>\n')).toEqual(['1:8 https://c.test/ | <a\n> href="https://c.test/">']);
  });

  it('maps a value written in one piece as it is', () => {
    const text = 'ab<x>\ncd';
    const map = valueMap(text, '<x>\ncd', 2);
    expect([0, 3, 4, 6].map(map)).toEqual([2, 5, 6, 8]);
  });
});
