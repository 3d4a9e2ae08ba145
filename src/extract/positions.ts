/**
 * Offsets to 1-based line/column points, with the line table built once per file.
 *
 * Columns count UTF-16 code units from the line start (a tab is one column), which matches the
 * points mdast gives its nodes.
 */
import type { Nodes } from 'mdast';
import type { Point, Range } from '../types.js';

/** Turns 0-based offsets into the file's text into points and ranges. */
export interface LineIndex {
  /** The point at a 0-based offset (clamped to the text). */
  point(offset: number): Point;
  /** The range between two offsets, end exclusive. */
  range(start: number, end: number): Range;
}

/** Builds the line table of `text` (`\n`, `\r\n` and lone `\r` end a line) once. */
export function createLineIndex(text: string): LineIndex {
  const starts: number[] = [0];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) starts.push(index + 1);
    else if (code === 13) {
      if (text.charCodeAt(index + 1) === 10) index++;
      starts.push(index + 1);
    }
  }

  const point = (offset: number): Point => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      // `middle` lies within `starts`, whose entries are all numbers.
      if (starts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    const lineStart = starts[low] ?? 0;
    return { line: low + 1, column: clamped - lineStart + 1, offset: clamped };
  };

  return {
    point,
    range: (start, end) => ({ start: point(start), end: point(end) }),
  };
}

/** A node's start and end offsets, when mdast recorded them. */
export function nodeSpan(node: Nodes): { start: number; end: number } | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? undefined : { start, end };
}
