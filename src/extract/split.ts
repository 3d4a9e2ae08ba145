/**
 * One large file parsed on every core: cut into chunks at headings, each chunk parsed and walked on
 * its own, the walks joined as one walk over the whole file would have gathered them.
 *
 * A cut is exact only where GitHub's parser would start afresh. It is made before a line that opens
 * an ATX heading at the first column after a blank line: no paragraph, table or list is open there
 * (a blank line closes the first two, an unindented heading the last), so the line begins a heading
 * at the top of the document unless a fenced code block or an HTML block that runs past blank lines
 * (`<pre>`, `<script>`, `<!--` and the like) swallows it. Whether one does is not guessed: each
 * chunk is parsed with a one-character heading (`#`) after it, which such a block swallows too, and
 * a chunk whose `#` did not come out as a heading of its own is joined with the next and parsed
 * again. The markdown before a cut never depends on what follows it, and a chunk is parsed with the
 * text before it blanked to its line breaks, so lines and columns come out as in the whole file and
 * offsets are shifted back by what was left out.
 *
 * The one thing a chunk cannot see is a definition in another chunk (`[label]: url`, `[^note]:`),
 * which turns `[label]` into a link. A file with `]:` anywhere in it is therefore never cut.
 */
import type { Nodes, Root } from 'mdast';
import type { Document } from '../types.js';
import type { Walked } from './document.js';
import { finishDocument, sourceFile, walkTree } from './document.js';
import { frontMatterLength, parseMarkdown } from './parse.js';

/** Files shorter than this (in UTF-16 units) are parsed whole: one already takes well under a second. */
export const splitChars = 128 * 1024;

/** The smallest chunk: below it the per-chunk work (the line table, the message to a worker) starts to show. */
export const minChunkChars = 48 * 1024;

/** One chunk of a file: its text and where the chunk starts and ends in it. */
export interface Chunk {
  readonly file: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** What parsing one chunk gave: its walk, or `undefined` when the line after it was swallowed (see above). */
export type ChunkWalk = Walked | undefined;

/** A line that opens an ATX heading at the first column. */
const ATX = /^#{1,6}(?:[ \t]|$)/;
/** A line that opens a fenced code block at the top level: the fence and what follows it. */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Where to cut `text` into chunks of at least `chunkChars` (the starts of every chunk but the
 * first); none for a file too short for two chunks or with a definition in it. Fenced code blocks at
 * the top level are skipped by a line scan, so that the cuts are likely to hold; the parse of each
 * chunk decides whether they do.
 */
export function splitPoints(text: string, chunkChars: number): number[] {
  if (text.length < 2 * chunkChars || text.includes(']:')) return [];
  const points: number[] = [];
  const from = frontMatterLength(text);
  let last = 0;
  let blankBefore = false;
  let fenceEnd: RegExp | undefined;
  const breaks = /\r\n|\r|\n/g;
  for (let start = 0; start < text.length; ) {
    breaks.lastIndex = start;
    const lineBreak = breaks.exec(text);
    const line = text.slice(start, lineBreak?.index ?? text.length);
    if (fenceEnd !== undefined) {
      if (fenceEnd.test(line)) fenceEnd = undefined;
      blankBefore = false;
    } else {
      const open = FENCE.exec(line);
      const marker = open?.[1];
      if (marker !== undefined && !(marker.startsWith('`') && (open?.[2] ?? '').includes('`'))) {
        // Closed by a line of at least as many of the same character, indented less than four.
        fenceEnd = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      } else if (blankBefore && start >= from && start - last >= chunkChars && text.length - start >= chunkChars / 2 && ATX.test(line)) {
        points.push(start);
        last = start;
      }
      blankBefore = fenceEnd === undefined && line.trim() === '';
    }
    start = lineBreak === null ? text.length : lineBreak.index + lineBreak[0].length;
  }
  return points;
}

/** Parses and walks one chunk (see the module comment); throws as parsing a whole file would. */
export function walkChunk({ text, start, end }: Chunk): ChunkWalk {
  const breaks = text.slice(0, start).replace(/[^\r\n]/g, '');
  const isLast = end >= text.length;
  const tree = parseMarkdown(breaks + text.slice(start, end) + (isLast ? '' : '#'));
  shiftOffsets(tree, start - breaks.length);
  if (!isLast) {
    const sentinel = tree.children.pop();
    if (sentinel?.type !== 'heading' || sentinel.position?.start.offset !== end) return undefined;
  }
  return walkTree(tree, sourceFile(text));
}

/** Adds `delta` to every offset in the tree (lines and columns are right already). */
function shiftOffsets(tree: Root, delta: number): void {
  if (delta === 0) return;
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const position = node.position;
    if (position !== undefined) {
      if (position.start.offset !== undefined) position.start.offset += delta;
      if (position.end.offset !== undefined) position.end.offset += delta;
    }
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
}

/**
 * The document of a file cut at `points`, each chunk parsed by `parse` (in a worker, or in-process);
 * a chunk whose cut did not hold is joined with the next and parsed again, until every cut holds.
 */
export async function extractInChunks(file: string, text: string, points: readonly number[], parse: (chunk: Chunk) => Promise<ChunkWalk>): Promise<Document> {
  let bounds = [0, ...points, text.length];
  const walks = new Map<string, Promise<ChunkWalk>>();
  const walkOf = (start: number, end: number): Promise<ChunkWalk> => {
    const key = `${start}:${end}`;
    let walk = walks.get(key);
    if (walk === undefined) {
      walk = parse({ file, text, start, end });
      walks.set(key, walk);
    }
    return walk;
  };
  for (;;) {
    const parts = await Promise.all(bounds.slice(1).map((end, index) => walkOf(bounds[index] ?? 0, end)));
    const held = parts.filter((part): part is Walked => part !== undefined);
    if (held.length === parts.length) return finishDocument(file, sourceFile(text), held);
    // Drop the cut after each chunk whose cut did not hold (never the file's end: the last chunk has no sentinel).
    bounds = bounds.filter((_, index) => index === 0 || parts[index - 1] !== undefined);
  }
}
