/**
 * How a parse cache entry is written: the extraction as JSON, with every point that the file's own
 * line table gives back from its offset (nearly all of them) written as that offset alone. Three
 * numbers and three keys per point were over half of each entry; the text is at hand whenever an
 * entry is read or written, so the line table is rebuilt from it for free.
 *
 * Points only ever appear as the `start` and `end` of a range, so a number under `start` or `end`
 * is an offset. An extraction that already holds a number there is not stored at all, so that
 * reading an entry can never turn some other number into a point.
 */
import type { Point } from '../types.js';
import { createLineIndex, type LineIndex } from './positions.js';

/** Keys whose point may be written as its offset. */
const pointKeys: ReadonlySet<string> = new Set(['start', 'end']);

function isPoint(value: unknown): value is Point {
  if (typeof value !== 'object' || value === null) return false;
  const { line, column, offset } = value as Partial<Point>;
  return typeof line === 'number' && typeof column === 'number' && typeof offset === 'number';
}

/** The entry's JSON for an extraction of `text`; `undefined` when it cannot be written safely. */
export function encodeEntry(entry: object, text: string): string | undefined {
  const lines = createLineIndex(text);
  let unsafe = false;
  const json = JSON.stringify(entry, (key: string, value: unknown) => {
    if (!pointKeys.has(key)) return value;
    if (typeof value === 'number') unsafe = true;
    if (!isPoint(value)) return value;
    const rebuilt = lines.point(value.offset);
    return rebuilt.line === value.line && rebuilt.column === value.column && rebuilt.offset === value.offset
      ? value.offset
      : value;
  });
  return unsafe ? undefined : json;
}

/** The extraction an entry's JSON (already parsed) holds, its offsets turned back into points of `text`. */
export function decodeEntry(parsed: unknown, text: string): unknown {
  const lines = createLineIndex(text);
  restore(parsed, lines);
  return parsed;
}

/** Replaces, in place, every offset under `start` or `end` with its point. */
function restore(value: unknown, lines: LineIndex): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) restore(item, lines);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'number') {
      if (pointKeys.has(key)) record[key] = lines.point(item);
    } else if (typeof item === 'object' && item !== null) restore(item, lines);
  }
}
