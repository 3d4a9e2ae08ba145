import type { Heading, TocEntry, TocList } from '../types.js';
import { defineRule } from './rule.js';

/** At most this many headings may come before a list for it to be the file's table of contents. */
const headingsBefore = 2;

/** What the table of contents should hold: the headings after it, as entries. */
interface Wanted {
  readonly slug: string;
  readonly text: string;
  readonly depth: number;
}

/**
 * A table of contents (the first top-level list made only of in-file fragment links, with at
 * most two headings before it) must list the headings after it: each one, in order, nested as
 * they are. Its top level is the shallowest heading level after it; levels deeper than the
 * deepest the list uses are not required. The fix regenerates the list in place from the
 * headings, keeping its marker and indentation.
 */
export const tocMismatch = defineRule({
  id: 'toc-mismatch',
  description: 'A table of contents lists the headings that follow it, in order',
  severity: 'warning',
  run({ document }, emit) {
    const { toc } = document;
    if (toc === undefined) return;
    const before = document.headings.filter((heading) => heading.range.start.offset < toc.range.start.offset);
    if (before.length > headingsBefore) return;
    const after = document.headings.filter((heading) => heading.range.start.offset >= toc.range.end.offset && heading.slug !== '');
    if (after.length === 0) return;
    // Entries for the headings above the list (the title) are allowed and not compared.
    const above = new Set(before.map((heading) => heading.slug));
    const kept = toc.entries.filter((entry) => !above.has(fragmentSlug(entry.fragment)));
    const shallowest = Math.min(...kept.map((entry) => entry.depth));
    const entries = kept.map((entry) => ({ ...entry, depth: entry.depth - shallowest }));
    // An entry that reaches an HTML anchor rather than a heading: which heading it stands for is not certain.
    const headingSlugs = new Set(document.headings.map((heading) => heading.slug));
    const htmlAnchors = new Set(document.anchors.filter((anchor) => anchor.source !== 'heading').map((anchor) => anchor.id.toLowerCase()));
    if (entries.some((entry) => !headingSlugs.has(fragmentSlug(entry.fragment)) && htmlAnchors.has(fragmentSlug(entry.fragment)))) return;
    if (entries.length === 0) return;
    const wanted = wantedEntries(entries, after);
    const problem = firstDifference(entries, wanted, after);
    if (problem === undefined) return;
    const hint = `expected ${wanted.map((entry) => `${'>'.repeat(entry.depth)}${entry.depth > 0 ? ' ' : ''}\`#${entry.slug}\``).join(', ')}`;
    // Written again from the headings alone, a list that also names the title would lose that entry.
    if (kept.length < toc.entries.length) return emit({ range: toc.range }, `Unexpected table of contents: ${problem}`, { hint });
    const fix = { start: toc.range.start.offset, end: toc.range.end.offset, text: regenerate(toc, wanted) };
    emit({ range: toc.range }, `Unexpected table of contents: ${problem}`, { hint, fix });
  },
});

function wantedEntries(entries: readonly TocEntry[], after: readonly Heading[]): Wanted[] {
  const base = Math.min(...after.map((heading) => heading.depth));
  const deepest = Math.max(...entries.map((entry) => entry.depth));
  return after
    .filter((heading) => heading.depth - base <= deepest)
    .map((heading) => ({ slug: heading.slug, text: heading.text, depth: heading.depth - base }));
}

/** The slug a fragment names: percent-decoded, lower case (GitHub's slugs are), without `user-content-`. */
function fragmentSlug(fragment: string): string {
  let text = fragment;
  try {
    text = decodeURIComponent(fragment);
  } catch {
    // Malformed escapes stay as written.
  }
  return text.toLowerCase().replace(/^user-content-/, '');
}

/** The first way the entries differ from the headings, in words; undefined when they match. */
function firstDifference(entries: readonly TocEntry[], wanted: readonly Wanted[], after: readonly Heading[]): string | undefined {
  const slugs = new Set(after.map((heading) => heading.slug));
  const listed = new Set(entries.map((entry) => fragmentSlug(entry.fragment)));
  const orphan = entries.find((entry) => !slugs.has(fragmentSlug(entry.fragment)));
  if (orphan !== undefined) return `entry \`#${orphan.fragment}\` has no heading after the list`;
  const base = Math.min(...after.map((heading) => heading.depth));
  const deeper = entries.find((entry) => !wanted.some((item) => item.slug === fragmentSlug(entry.fragment)));
  if (deeper !== undefined) {
    const heading = after.find((item) => item.slug === fragmentSlug(deeper.fragment));
    const level = (heading?.depth ?? base) - base + 1;
    return `entry \`#${deeper.fragment}\` is at nesting level ${deeper.depth + 1}, expected ${level}`;
  }
  const missing = wanted.find((entry) => !listed.has(entry.slug));
  if (missing !== undefined) return `heading \`${missing.text}\` is missing`;
  for (const [index, item] of wanted.entries()) {
    const entry = entries[index];
    if (entry === undefined) break;
    if (fragmentSlug(entry.fragment) !== item.slug) return `entry \`#${entry.fragment}\` is out of order, expected \`#${item.slug}\` there`;
    if (entry.depth !== item.depth) return `entry \`#${entry.fragment}\` is at nesting level ${entry.depth + 1}, expected ${item.depth + 1}`;
  }
  const extra = entries[wanted.length];
  return extra === undefined ? undefined : `entry \`#${extra.fragment}\` appears twice`;
}

/** Escapes what would end or break a link's text. */
function linkText(text: string): string {
  return text.replace(/[\\[\]]/g, (char) => `\\${char}`);
}

/** The list written out again from the headings, with the list's marker and indentation. */
function regenerate(toc: TocList, wanted: readonly Wanted[]): string {
  const ordered = /^\d+([.)])$/.exec(toc.marker);
  const counters: number[] = [];
  // The first line starts at the marker; the others also carry the list's own indentation.
  const base = ' '.repeat(toc.range.start.column - 1);
  return wanted
    .map((entry, index) => {
      counters.length = entry.depth + 1;
      counters[entry.depth] = (counters[entry.depth] ?? 0) + 1;
      const marker = ordered === null ? toc.marker : `${counters[entry.depth] ?? 1}${ordered[1] ?? '.'}`;
      return `${index === 0 ? '' : base}${' '.repeat(toc.indent * entry.depth)}${marker} [${linkText(entry.text)}](#${entry.slug})`;
    })
    .join('\n');
}
