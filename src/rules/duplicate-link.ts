import type { Document, Link } from '../types.js';
import { defineRule } from './rule.js';
import { cleanUrl } from './tracking/clean.js';
import { unwrapUrl } from './tracking/unwrap.js';

/**
 * The same destination as the entry of two items of one section (the content under a heading,
 * up to the next heading of any level) is usually a copy-paste slip in a curated list. An item's
 * entry is the link it opens with; later links in the item (a description mentioning another
 * entry, a link to the PDF) are not entries, and neither are links in prose, nor in an item that
 * opens with words. Destinations compare after
 * tracking parameters and redirect wrappers are removed and the URL is normalised (scheme and
 * host case, default port, `/` on a bare host, percent-encoding as the URL parser writes it);
 * the fragment is kept, so two anchors on one page are two destinations. Images, autolinks and
 * bare URLs (they show an address) are never entries.
 */
export const duplicateLink = defineRule({
  id: 'duplicate-link',
  description: 'A list links each destination once per section',
  severity: 'warning',
  run({ document }, emit) {
    const sectionStarts = document.headings.map((heading) => heading.range.start.offset);
    const seen = new Map<string, Link>();
    let section = -1;
    for (const link of entries(document)) {
      const current = sectionOf(link.range.start.offset, sectionStarts);
      if (current !== section) {
        section = current;
        seen.clear();
      }
      const key = destinationKey(link.url);
      if (key === undefined) continue;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, link);
      else emit(link, `Unexpected second link to \`${key}\` in this section, already linked on line ${first.range.start.line}`);
    }
  },
});

/** The entry link of each list item, in document order: the link the item opens with (see `Document.listEntries`). */
function entries(document: Document): Link[] {
  const starts = new Set(document.listEntries.map((entry) => entry.start.offset));
  return document.links.filter(
    (link) => link.kind === 'link' && link.syntax !== 'autolink' && link.syntax !== 'literal' && starts.has(link.range.start.offset),
  );
}

/** The index of the section an offset falls in (-1 before the first heading). */
function sectionOf(offset: number, starts: readonly number[]): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** The destination a URL leads to, for comparison; undefined for an empty one. */
export function destinationKey(url: string): string | undefined {
  if (url.trim() === '') return undefined;
  if (url.startsWith('#') || !URL.canParse(url)) return url;
  const cleaned = cleanUrl(unwrapUrl(url)?.url ?? url).url;
  return URL.canParse(cleaned) ? new URL(cleaned).href : cleaned;
}
