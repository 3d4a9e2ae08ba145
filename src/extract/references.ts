/**
 * References whose label has no definition: `[text][label]` and `[label][]`.
 *
 * mdast turns such a reference into plain text, so the source of each paragraph, heading and
 * table cell is scanned for the pattern. Code spans, raw HTML, links and images are skipped whole;
 * backslash escapes are honoured. The shortcut form `[label]` is not reported: bare brackets are
 * too common in prose (citations, task lists, `[sic]`).
 */
import type { Nodes } from 'mdast';
import { findLabelEnd } from './destination.js';
import { nodeSpan } from './positions.js';

/** A full or collapsed reference found in the source, before its label is looked up. */
export interface ReferenceCandidate {
  readonly label: string;
  readonly identifier: string;
  readonly start: number;
  readonly end: number;
}

/** A stretch of source that is not plain text; link text cannot contain a link. */
interface Opaque {
  readonly start: number;
  readonly end: number;
  readonly isLink: boolean;
}

const MAX_LABEL = 999;

/** CommonMark label normalisation, as mdast computes `identifier`: whitespace collapsed, case folded. */
export function normalizeLabel(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').trim().toLowerCase().toUpperCase().toLowerCase();
}

/** Collects the spans of descendants that are not plain text, in document order. */
function collectOpaque(node: Nodes, out: Opaque[]): void {
  if (!('children' in node)) {
    if (node.type === 'inlineCode' || node.type === 'html') pushOpaque(node, out, false);
    return;
  }
  for (const child of node.children) {
    switch (child.type) {
      case 'link':
      case 'linkReference':
      case 'footnoteReference':
        pushOpaque(child, out, true);
        break;
      case 'image':
      case 'imageReference':
        pushOpaque(child, out, false);
        break;
      default:
        collectOpaque(child, out);
    }
  }
}

/** Records a node's span as opaque. */
function pushOpaque(node: Nodes, out: Opaque[], isLink: boolean): void {
  const span = nodeSpan(node);
  if (span !== undefined) out.push({ ...span, isLink });
}

/** Finds a marker (`][`, `<`) in stretches of the text, searching the file once front to back. */
export interface MarkerFinder {
  /** The first occurrence at or after `start` and before `end`, or -1. */
  find(start: number, end: number): number;
  /** Whether the marker occurs in [start, end). */
  has(start: number, end: number): boolean;
}

/**
 * A marker finder over `text`, fastest when asked about stretches in document order: a search
 * never runs again over text it has already passed, so asking about every paragraph of a file
 * costs one pass over the file, not one pass per paragraph.
 */
export function createMarkerFinder(text: string, marker: string): MarkerFinder {
  let searchedFrom = 0;
  let found = text.indexOf(marker);
  const find = (start: number, end: number): number => {
    if (start < searchedFrom || (found >= 0 && found < start)) {
      searchedFrom = start;
      found = text.indexOf(marker, start);
    }
    return found >= 0 && found < end ? found : -1;
  };
  return { find, has: (start, end) => find(start, end) >= 0 };
}

/**
 * Finds `[text][label]` and `[label][]` in the source of a phrasing container (paragraph,
 * heading, table cell).
 */
export function findReferenceCandidates(container: Nodes, text: string, markers: MarkerFinder): ReferenceCandidate[] {
  const span = nodeSpan(container);
  if (span === undefined || !markers.has(span.start, span.end)) return [];
  const opaque: Opaque[] = [];
  collectOpaque(container, opaque);

  const found: ReferenceCandidate[] = [];
  const brackets: number[] = [];
  let next = 0;
  let index = span.start;
  while (index < span.end) {
    const region = opaque[next];
    if (region !== undefined && index >= region.start) {
      next++;
      if (region.isLink) brackets.length = 0;
      index = Math.max(index, region.end);
      continue;
    }
    const code = text.charCodeAt(index);
    if (code === 92) index += 2;
    else if (code === 91) brackets.push(index++);
    else if (code === 93) {
      const open = brackets.pop();
      // The label must end before the next link, code span or tag begins.
      const limit = Math.min(span.end, region?.start ?? span.end);
      index = open === undefined ? index + 1 : scanLabel(text, open, index, limit, found, brackets);
    } else index++;
  }
  return found;
}

/** After text `[…]` closing at `close`, reads a following `[label]` or `[]`; returns where to go on. */
function scanLabel(
  text: string,
  open: number,
  close: number,
  end: number,
  found: ReferenceCandidate[],
  brackets: number[],
): number {
  if (text.charCodeAt(close + 1) !== 91) return close + 1;
  const labelEnd = findLabelEnd(text, close + 2, end);
  if (labelEnd < 0) return close + 1;
  const written = text.slice(close + 2, labelEnd);
  const isCollapsed = written.trim() === '';
  if (isCollapsed && written !== '') return close + 1;
  const label = isCollapsed ? text.slice(open + 1, close) : written;
  const identifier = normalizeLabel(label);
  if (identifier !== '' && label.length <= MAX_LABEL && !label.startsWith('^') && !/(?<!\\)[[\]]/.test(label)) {
    found.push({ label, identifier, start: open, end: labelEnd + 1 });
  }
  brackets.length = 0;
  return labelEnd + 1;
}
