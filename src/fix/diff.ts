/**
 * The unified diff `--fix-dry-run` prints, in the form `git apply` and `patch -p1` read.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/** Keeps a BOM as the first character, so the diff shows the file's first line as it is. */
const withBom = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The diff between a file's bytes and its fixed bytes, with `a/` and `b/` before its path
 * (relative to the working directory). Line endings stay as they are, `\r` included.
 */
export function unifiedDiff(file: string, before: Uint8Array, after: Uint8Array): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, withBom.decode(before), withBom.decode(after), undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
