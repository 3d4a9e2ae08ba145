/**
 * Links, images and definitions written in markdown syntax, turned into `Link` records.
 */
import type { Definition, Image, ImageReference, Link as MdastLink, LinkReference } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Link, LinkSyntax, Range } from '../types.js';
import type { Span } from './destination.js';
import { findDestination, findLabelEnd, findTextEnd, matchesUrl } from './destination.js';
import type { LineIndex } from './positions.js';

/** The file being extracted: its text and line table. */
export interface SourceFile {
  readonly text: string;
  readonly lines: LineIndex;
}

/** A `Link` whose text can still be completed while the walk goes on. */
export interface LinkRecord {
  kind: Link['kind'];
  syntax: LinkSyntax;
  url: string;
  text: string;
  range: Range;
  urlRange?: Range;
  label?: string;
  definition?: Range;
}

/** How a markdown `link` node was written: `[t](u)`, `<u>` or a bare URL. */
function linkSyntax(source: SourceFile, start: number): LinkSyntax {
  const first = source.text.charCodeAt(start);
  if (first === 91) return 'inline';
  if (first === 60) return 'autolink';
  return 'literal';
}

/** The destination span of `[text](url)` / `![alt](url)`, whose text starts at `textStart`. */
function inlineDestination(source: SourceFile, textStart: number, span: Span, url: string): Span | undefined {
  const close = findTextEnd(source.text, textStart, span.end);
  if (close < 0 || source.text.charCodeAt(close + 1) !== 40) return undefined;
  const destination = findDestination(source.text, close + 2, span.end);
  if (destination === undefined) return undefined;
  return matchesUrl(source.text.slice(destination.start, destination.end), url) ? destination : undefined;
}

/** A `Link` for an mdast `link` node (inline link, autolink or GFM literal). */
export function fromLink(node: MdastLink, span: Span, source: SourceFile): LinkRecord {
  const syntax = linkSyntax(source, span.start);
  const record: LinkRecord = {
    kind: 'link',
    syntax,
    url: node.url,
    text: toString(node),
    range: source.lines.range(span.start, span.end),
  };
  let destination: Span | undefined;
  if (syntax === 'inline') {
    const last = node.children.at(-1)?.position?.end.offset;
    destination = inlineDestination(source, last ?? span.start + 1, span, node.url);
  } else if (syntax === 'autolink') {
    destination = { start: span.start + 1, end: span.end - 1 };
  } else {
    destination = span;
  }
  if (destination !== undefined) record.urlRange = source.lines.range(destination.start, destination.end);
  return record;
}

/** A `Link` for an mdast `image` node (`![alt](url)`). */
export function fromImage(node: Image, span: Span, source: SourceFile): LinkRecord {
  const record: LinkRecord = {
    kind: 'image',
    syntax: 'inline',
    url: node.url,
    text: node.alt ?? '',
    range: source.lines.range(span.start, span.end),
  };
  const destination = inlineDestination(source, span.start + 2, span, node.url);
  if (destination !== undefined) record.urlRange = source.lines.range(destination.start, destination.end);
  return record;
}

/** A `Link` for a reference (`[t][l]`, `[l][]`, `[l]`) resolved against its definition's URL. */
export function fromReference(
  node: LinkReference | ImageReference,
  span: Span,
  url: string,
  source: SourceFile,
): LinkRecord {
  return {
    kind: node.type === 'imageReference' ? 'image' : 'link',
    syntax: node.referenceType,
    url,
    text: node.type === 'imageReference' ? (node.alt ?? '') : toString(node),
    range: source.lines.range(span.start, span.end),
    label: node.label ?? node.identifier,
  };
}

/** A `Link` for a definition (`[label]: url "title"`). */
export function fromDefinition(node: Definition, span: Span, source: SourceFile): LinkRecord {
  const record: LinkRecord = {
    kind: 'definition',
    syntax: 'definition',
    url: node.url,
    text: '',
    range: source.lines.range(span.start, span.end),
    label: node.label ?? node.identifier,
  };
  const labelEnd = findLabelEnd(source.text, span.start + 1, span.end);
  if (labelEnd >= 0 && source.text.charCodeAt(labelEnd + 1) === 58) {
    const destination = findDestination(source.text, labelEnd + 2, span.end);
    if (destination !== undefined && matchesUrl(source.text.slice(destination.start, destination.end), node.url)) {
      record.urlRange = source.lines.range(destination.start, destination.end);
    }
  }
  return record;
}
