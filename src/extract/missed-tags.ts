/**
 * Inline HTML tags that GitHub's parser (cmark-gfm) recognises and micromark does not.
 *
 * CommonMark lets an unquoted attribute value hold any character but white space, `"`, `'`, `=`,
 * `<`, `>` and `` ` ``, so `<a href=docs/guide.md#setup>` is a tag on GitHub. micromark ends an
 * unquoted value at `/`, turns the tag into plain text and may then read the URL inside it as a GFM
 * autolink literal running on past `>`. This finds such tags in a paragraph's source so the walk can
 * treat them as the raw HTML they are.
 */
import type { Nodes, Parents } from 'mdast';
import { nodeSpan } from './positions.js';
import type { MarkerFinder } from './references.js';

/** A tag found in the source: its text and where it starts and ends in the file. */
export interface MissedTag {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// cmark's open tag: a name, then attributes (unquoted, single- or double-quoted values), then `/>` or `>`.
const ATTRIBUTE = String.raw`(?:[ \t]+(?:\r?\n[ \t]*)?|\r?\n[ \t]*)[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t\r\n]*=[ \t\r\n]*(?:[^ \t\r\n"'=<>\x60]+|'[^']*'|"[^"]*"))?`;
const OPEN_TAG = new RegExp(String.raw`<[A-Za-z][A-Za-z0-9-]*(?:${ATTRIBUTE})*[ \t\r\n]*\/?>`, 'y');
/** An unquoted attribute value holding a `/`: the one shape where the two parsers differ. */
const SLASH_IN_UNQUOTED = /=[ \t\r\n]*[^ \t\r\n"'=<>`/]*\/[^ \t\r\n"'=<>`]*/;

/** Spans of the container's descendants that are already markup or code, in document order. */
function covered(node: Parents, out: { start: number; end: number }[]): void {
  for (const child of node.children as Nodes[]) {
    if (child.type === 'html' || child.type === 'inlineCode') {
      const span = nodeSpan(child);
      if (span !== undefined) out.push(span);
    } else if ('children' in child) covered(child, out);
  }
}

/**
 * The tags micromark missed in a paragraph, heading or table cell, in document order. `tagStarts`
 * finds `<` in the file, so a run over every paragraph reads the file once.
 */
export function findMissedTags(container: Parents, text: string, tagStarts: MarkerFinder): MissedTag[] {
  const span = nodeSpan(container);
  if (span === undefined) return [];
  const first = tagStarts.find(span.start, span.end);
  if (first < 0) return [];
  const skip: { start: number; end: number }[] = [];
  covered(container, skip);
  const found: MissedTag[] = [];
  let next = 0;
  for (let at = first; at >= 0; at = tagStarts.find(at + 1, span.end)) {
    while (next < skip.length && (skip[next]?.end ?? 0) <= at) next++;
    const region = skip[next];
    if (region !== undefined && region.start <= at) {
      at = region.end - 1;
      continue;
    }
    OPEN_TAG.lastIndex = at;
    const match = OPEN_TAG.exec(text);
    if (match === null || at + match[0].length > span.end || !SLASH_IN_UNQUOTED.test(match[0])) continue;
    found.push({ start: at, end: at + match[0].length, text: match[0] });
    at += match[0].length - 1;
  }
  return found;
}
