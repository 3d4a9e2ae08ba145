/**
 * From the decoded text's UTF-16 offsets back to the file's bytes.
 *
 * The checked text is the file's UTF-8 decoded with a leading byte order mark dropped (see
 * src/collect/decode.ts); UTF-8 that decodes without error encodes back to the same bytes, so an
 * offset into the text has exactly one byte offset, and the bytes between edits are copied as
 * they are: line endings, a BOM, tabs, trailing spaces and every other character stay.
 */
import type { Edit } from '../types.js';

const encoder = new TextEncoder();

/** Length of the UTF-8 byte order mark at the start of `bytes`: 3 or 0. */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** Whether a UTF-16 offset falls between the two halves of a surrogate pair. */
export function splitsPair(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/** The UTF-8 length of each code unit run up to each of the ascending `offsets`, in one pass over `text`. */
function utf8Offsets(text: string, offsets: readonly number[]): number[] {
  const result: number[] = [];
  let bytes = 0;
  let index = 0;
  for (const offset of offsets) {
    while (index < offset) {
      const code = text.charCodeAt(index);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff && index + 1 < offset) {
        bytes += 4;
        index++;
      } else bytes += 3;
      index++;
    }
    result.push(bytes);
  }
  return result;
}

/**
 * Applies edits of `text` (the decoded form of `bytes`) to the bytes themselves. The edits must be
 * in order, apart from each other and on code point boundaries (the planner makes sure).
 */
export function spliceBytes(bytes: Uint8Array, text: string, edits: readonly Edit[]): Uint8Array {
  const base = bomLength(bytes);
  const at = utf8Offsets(text, edits.flatMap((edit) => [edit.start, edit.end]));
  const parts: Uint8Array[] = [];
  let copied = base;
  parts.push(bytes.subarray(0, base));
  edits.forEach((edit, i) => {
    // `at` has two entries per edit.
    const start = base + at[2 * i]!;
    const end = base + at[2 * i + 1]!;
    parts.push(bytes.subarray(copied, start), encoder.encode(edit.text));
    copied = end;
  });
  parts.push(bytes.subarray(copied));
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Applies the same edits to the text. */
export function spliceText(text: string, edits: readonly Edit[]): string {
  let out = '';
  let copied = 0;
  for (const edit of edits) {
    out += text.slice(copied, edit.start) + edit.text;
    copied = edit.end;
  }
  return out + text.slice(copied);
}
