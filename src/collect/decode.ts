import type { Notice } from '../types.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Largest markdown file read: far beyond any real document, small enough to parse in seconds. */
export const maxBytes = 10 * 1024 * 1024;

/** The decoded text of a file, or the notice saying why it is not checked. */
export type Decoded = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * Decodes a markdown file's bytes as UTF-8 (a leading BOM is dropped).
 *
 * A file over {@link maxBytes}, a file with a NUL byte (binary) and one that is not valid UTF-8
 * are skipped; each comes back as a notice naming the file instead of text, never as an exception.
 */
export function decodeSource(file: string, bytes: Uint8Array): Decoded {
  if (bytes.length > maxBytes) return tooLarge(file, bytes.length);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return notice({ kind: 'binary', file, ...locate(bytes, nul), message: 'Unexpected NUL byte: binary file skipped' });
  }
  try {
    return { kind: 'text', text: decoder.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return notice({ kind: 'invalid-utf8', file, ...locate(bytes, at), message: 'Unexpected invalid UTF-8: file skipped' });
  }
}

/** The 1-based line and byte column of a byte offset. */
function locate(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The notice for a file over {@link maxBytes}, which is skipped unread. */
export function tooLarge(file: string, size: number): Decoded {
  const megabytes = (size / 1024 / 1024).toFixed(1);
  return notice({
    kind: 'too-large',
    file,
    message: `Unexpected file size ${megabytes} MB, over the ${maxBytes / 1024 / 1024} MB limit; file skipped`,
  });
}

function notice(value: Notice): Decoded {
  return { kind: 'notice', notice: value };
}

/** Finds the offset of the first byte that breaks UTF-8, one encoded character at a time. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}
