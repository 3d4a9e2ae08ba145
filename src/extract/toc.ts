/**
 * A list that looks like a table of contents: every item is one in-file fragment link and
 * nothing else, with nested lists of the same kind. Extraction records the first such list of a
 * file with its entries, markers and indentation, and `toc-mismatch` compares it with the headings.
 */
import type { List, ListItem } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { TocEntry, TocList } from '../types.js';
import type { SourceFile } from './links.js';
import { nodeSpan } from './positions.js';

/** The entries of a list that is a table of contents, depth first; undefined when it is not one. */
function entriesOf(list: List, depth: number, source: SourceFile, out: TocEntry[], shape: { indent?: number }): boolean {
  for (const item of list.children) {
    if (!isEntry(item)) return false;
    const [paragraph, nested] = item.children;
    const link = paragraph?.type === 'paragraph' ? paragraph.children[0] : undefined;
    const span = link === undefined ? undefined : nodeSpan(link);
    if (link?.type !== 'link' || span === undefined) return false;
    out.push({ fragment: link.url.slice(1), text: toString(link), depth, range: source.lines.range(span.start, span.end) });
    if (nested?.type === 'list') {
      const itemStart = item.position?.start.column;
      const nestedStart = nested.children[0]?.position?.start.column;
      if (shape.indent === undefined && itemStart !== undefined && nestedStart !== undefined) shape.indent = nestedStart - itemStart;
      if (!entriesOf(nested, depth + 1, source, out, shape)) return false;
    }
  }
  return true;
}

/** An item holding one fragment link and nothing else, then at most one nested list. */
function isEntry(item: ListItem): boolean {
  const [paragraph, nested, ...rest] = item.children;
  if (rest.length > 0 || paragraph?.type !== 'paragraph' || (nested !== undefined && nested.type !== 'list')) return false;
  const [link, ...after] = paragraph.children;
  const trailing = after.every((node) => node.type === 'text' && node.value.trim() === '');
  return link?.type === 'link' && link.url.startsWith('#') && link.url.length > 1 && trailing;
}

/** The list as a table of contents, when it is one with at least two entries. */
export function tocOf(list: List, source: SourceFile): TocList | undefined {
  const span = nodeSpan(list);
  if (span === undefined) return undefined;
  const entries: TocEntry[] = [];
  const shape: { indent?: number } = {};
  if (!entriesOf(list, 0, source, entries, shape) || entries.length < 2) return undefined;
  const first = source.text.slice(span.start, span.start + 12);
  const marker = /^(\d+[.)]|[-*+])/.exec(first)?.[1] ?? '-';
  return { range: source.lines.range(span.start, span.end), marker, indent: shape.indent ?? (/^\d/.test(marker) ? 3 : 2), entries };
}
