/**
 * Links, anchors and directives in raw HTML, read with htmlparser2.
 *
 * mdast hands over raw HTML as `html` nodes: a whole block, or one node per tag or comment inside
 * a paragraph. One parser serves the whole file and is reset for each node. An `<a>` opened by one
 * inline node stays open across the markdown between it and the `</a>` node, so its text can be
 * collected from the sibling nodes the walk visits in between.
 */
import { Parser } from 'htmlparser2';
import type { Anchor, Directive, Range } from '../types.js';
import { parseDirective } from './directives.js';
import type { LinkRecord, SourceFile } from './links.js';

/** Where the scanner puts what it finds. */
export interface HtmlFindings {
  readonly links: LinkRecord[];
  readonly anchors: Anchor[];
  readonly directives: Directive[];
}

/** Reads raw HTML nodes of one file. */
export interface HtmlScanner {
  /** Scans one `html` node whose value starts at `offset` in the file. */
  scan(value: string, offset: number): void;
  /** Adds rendered text to every `<a>` still open. */
  appendText(text: string): void;
  /** Whether an `<a>` from an earlier node is still open, collecting text. */
  readonly isCollecting: boolean;
  /** Closes every `<a>` still open, at the end of a paragraph, heading or table cell. */
  flush(): void;
}

const INTERESTING = /href|src|id|name|<!--/i;
const CLOSING_ANCHOR = /^<\/a\s*>$/i;
const LINK_ATTRIBUTES: Readonly<Record<string, { attribute: string; kind: LinkRecord['kind'] }[]>> = {
  a: [{ attribute: 'href', kind: 'link' }],
  img: [{ attribute: 'src', kind: 'image' }],
  source: [
    { attribute: 'src', kind: 'image' },
    { attribute: 'srcset', kind: 'image' },
  ],
};

/** The first URL of a `srcset` list and its offset within the attribute value. */
function firstCandidate(value: string): { url: string; offset: number } {
  const match = /^\s*([^\s,]+)/.exec(value);
  if (match === null || match[1] === undefined) return { url: '', offset: 0 };
  return { url: match[1], offset: match[0].length - match[1].length };
}

/** Collapses whitespace in text gathered from HTML. */
function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Value spans of a tag's attributes, relative to the scanned HTML, first occurrence only. */
type ValueSpans = Map<string, { start: number; end: number }>;

/**
 * Where an attribute's value sits: htmlparser2 reports the attribute name's start and the index
 * just past the value (past the closing quote for a quoted value).
 */
function valueSpan(
  html: string,
  nameStart: number,
  valueEnd: number,
  quote: string | null,
): { start: number; end: number } | undefined {
  const equals = html.indexOf('=', nameStart);
  if (equals < 0 || equals >= valueEnd) return undefined;
  let start = equals + 1;
  while (start < valueEnd && /\s/.test(html.charAt(start))) start++;
  if (quote !== null) start++;
  const end = quote === null ? valueEnd : valueEnd - 1;
  return start <= end ? { start, end } : undefined;
}

/** Maps an index into a node's value to its offset in the file. */
type ValueMap = (index: number) => number;

/**
 * The map from a node's value to the file. Inside a list item or block quote the value leaves out
 * the container's prefix (`  `, `> `) on each continuation line, so each line of the value is
 * found again in its line of the file, past that prefix. Where a line cannot be found (never, for
 * what micromark produces), the value is taken as written in one piece from there on.
 */
export function valueMap(text: string, value: string, offset: number): ValueMap {
  if (text.startsWith(value, offset)) return (index) => offset + index;
  const valueStarts = [0];
  const fileStarts = [offset];
  // Each line break of the value, with the index where the next line starts.
  const breaks = [...value.matchAll(/\r\n|\r|\n/g)].map((match) => ({ at: match.index, next: match.index + match[0].length }));
  for (const [k, { at: breakAt, next: lineStart }] of breaks.entries()) {
    const line = value.slice(lineStart, breaks[k + 1]?.at ?? value.length);
    // The file's next line starts after the break that ends the previous line of the value.
    const previous = (fileStarts.at(-1) ?? offset) + (breakAt - (valueStarts.at(-1) ?? 0));
    let at = previous + (text.startsWith('\r\n', previous) ? 2 : 1);
    while (!text.startsWith(line, at) && (text[at] === ' ' || text[at] === '\t' || text[at] === '>')) at += 1;
    if (!text.startsWith(line, at)) break;
    valueStarts.push(lineStart);
    fileStarts.push(at);
  }
  return (index) => {
    let low = 0;
    let high = valueStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((valueStarts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return (fileStarts[low] ?? offset) + index - (valueStarts[low] ?? 0);
  };
}

/** The links an opening tag makes, with the range of each URL when its value was located. */
function tagLinks(
  name: string,
  attributes: Readonly<Record<string, string>>,
  spans: ValueSpans,
  at: ValueMap,
  source: SourceFile,
  range: Range,
): LinkRecord[] {
  const records: LinkRecord[] = [];
  for (const { attribute, kind } of LINK_ATTRIBUTES[name] ?? []) {
    const value = attributes[attribute];
    if (value === undefined) continue;
    const candidate = attribute === 'srcset' ? firstCandidate(value) : { url: value, offset: 0 };
    const text = name === 'img' ? (attributes['alt'] ?? '') : '';
    const record: LinkRecord = { kind, syntax: 'html', url: candidate.url, text, range };
    const span = spans.get(attribute);
    if (span !== undefined) {
      const start = at(span.start + candidate.offset);
      const end = attribute === 'srcset' ? start + candidate.url.length : at(span.end);
      record.urlRange = source.lines.range(start, end);
    }
    records.push(record);
  }
  return records;
}

/** The anchors an opening tag defines through `id` and `name`. */
function tagAnchors(attributes: Readonly<Record<string, string>>, range: Range): Anchor[] {
  const anchors: Anchor[] = [];
  for (const attribute of ['id', 'name'] as const) {
    const id = attributes[attribute];
    if (id !== undefined && id !== '') anchors.push({ id, source: `html-${attribute}`, range });
  }
  return anchors;
}

/** Creates the HTML scanner of one file, writing into `out`. */
export function createHtmlScanner(source: SourceFile, out: HtmlFindings): HtmlScanner {
  /** `<a>` elements open right now; `undefined` stands for an `<a>` without `href`. */
  const open: (LinkRecord | undefined)[] = [];
  const spans: ValueSpans = new Map();
  let html = '';
  let at: ValueMap = (index) => index;
  let isEnding = false;

  const closeAnchor = (): void => {
    const record = open.pop();
    if (record !== undefined) record.text = tidy(record.text);
  };
  const appendText = (text: string): void => {
    for (const record of open) if (record !== undefined) record.text += text;
  };

  const parser: Parser = new Parser(
    {
      onopentagname() {
        spans.clear();
      },
      onattribute(name, _value, quote) {
        if (quote === undefined || spans.has(name)) return;
        const span = valueSpan(html, parser.startIndex, parser.endIndex, quote);
        if (span !== undefined) spans.set(name, span);
      },
      onopentag(name, attributes, isImplied) {
        if (isImplied) return;
        const range = source.lines.range(at(parser.startIndex), at(parser.endIndex) + 1);
        for (const anchor of tagAnchors(attributes, range)) out.anchors.push(anchor);
        const links = tagLinks(name, attributes, spans, at, source, range);
        for (const link of links) out.links.push(link);
        if (name === 'a') {
          // An `<a>` cannot hold another: HTML closes the open one first, so at most one collects text.
          while (open.length > 0) closeAnchor();
          open.push(links[0]);
        }
        else if (name === 'img') appendText(attributes['alt'] ?? '');
      },
      ontext: appendText,
      onclosetag(name, isImplied) {
        // An `<a>` left open by this node stays open for the markdown that follows it.
        if (name === 'a' && !(isImplied && isEnding)) closeAnchor();
      },
      oncomment(body) {
        const directive = parseDirective(body);
        if (directive === undefined) return;
        const range = source.lines.range(at(parser.startIndex), at(parser.endIndex) + 1);
        out.directives.push({ ...directive, range });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );

  return {
    scan(value, offset) {
      if (open.length > 0 && CLOSING_ANCHOR.test(value)) {
        closeAnchor();
        return;
      }
      if (!INTERESTING.test(value)) return;
      html = value;
      at = valueMap(source.text, value, offset);
      parser.reset();
      parser.write(value);
      isEnding = true;
      parser.end();
      isEnding = false;
    },
    appendText,
    get isCollecting() {
      return open.length > 0;
    },
    flush() {
      while (open.length > 0) closeAnchor();
    },
  };
}
