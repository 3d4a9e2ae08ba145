/** Deepest nesting parsed: beyond it, the markdown parser's work grows too fast to be worth it. */
export const maxNesting = 100;

/**
 * Finds the first line nested deeper than {@link maxNesting} levels: more than that many
 * blockquote markers, or more indentation than that many list levels (two columns each).
 * Such files are skipped with a notice instead of tying the run up for minutes.
 */
export function tooDeep(text: string): { readonly line: number; readonly column: number } | undefined {
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let depth = 0;
    let columns = 0;
    let i = start;
    for (; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 0x3e) depth++; // >
      else if (char === 0x20) columns++;
      else if (char === 0x09) columns += 4;
      else break;
    }
    if (depth > maxNesting || columns > maxNesting * 4) return { line, column: i - start + 1 };
    const end = text.indexOf('\n', i);
    if (end === -1) return undefined;
    start = end + 1;
    line++;
  }
  return undefined;
}
