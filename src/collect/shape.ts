/**
 * A linear pre-parse look at a file's shape. Some small inputs make the markdown parser's work
 * grow quadratically or its memory run out; those files are skipped with a notice naming the
 * line and column of the shape instead of tying the run up for minutes. Every limit is far above
 * what real documents do, and the scan is approximate: it may count a few characters that the
 * parser would not (in code spans, indented code, some HTML), never enough to matter below these
 * limits.
 */

/**
 * Deepest nesting parsed: more than that many blockquote markers, list markers (`-`, `*`, `+`,
 * `1.`, `1)`) or list levels of indentation (four columns each) before a line's text. The parser's
 * work grows with the square of the depth: 2,000 `- ` on one line take 2.3 s, 10,000 take 49 s and
 * then overflow the stack.
 */
export const maxNesting = 100;

/**
 * Most bracketed text parsed in one paragraph, counted as the parser pays for it: each `]` reads
 * back to its `[`, so `[` × n then `]` × n costs n² (16,000 of each take 2.7 s, 50,000 take 38 s).
 * 10 million is about 0.1 s of parsing; ordinary labels enclose a few hundred characters.
 */
export const maxBracketedChars = 10_000_000;

/**
 * Most characters in one paragraph that may open inline markup the parser gives up on: `]` not
 * followed by `(`, and `*`, `_`, `~`. Each leftover becomes text that the parser merges into its
 * neighbours one splice at a time, so the cost grows with the square of their number: 25,000
 * `a_b` take 3 s, 10,000 undefined `[t][u]` references 4.6 s and 100,000 over two minutes. Link
 * destinations and HTML tags are not counted.
 */
export const maxParagraphMarkers = 10_000;

/**
 * Longest paragraph parsed, in characters and in words. With GitHub's extensions every word may
 * start a link literal, and each word the parser tries and leaves as text is merged into its
 * neighbours one splice at a time, so a paragraph's cost grows with the square of its words:
 * 500 KB of one-letter words (256,000) take 3.5 s, 1 MB of ordinary words (205,000) 4.9 s,
 * 2.4 MB 21 s. Real paragraphs are a few thousand characters; HTML blocks and fenced code are
 * not paragraphs.
 */
export const maxParagraphLength = 1_000_000;

/** Most words in one paragraph: see {@link maxParagraphLength}. */
export const maxParagraphWords = 250_000;

/** Tags that start an HTML block: CommonMark's kind 6, which runs to a blank line, and kinds 1 to 5. */
const HTML_BLOCK = new RegExp(
  '^<(?:!|\\?|(?:script|pre|style|textarea)(?=[\\s>]|$)|/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?=[\\s/>]|$))',
  'i',
);

/**
 * Widest table parsed, in columns (delimiter-row cells, or `|` in a row). A 50,000-column table
 * of a few dozen rows runs the parser out of memory (see {@link maxTableCells}); real tables
 * have a few dozen columns at most.
 */
export const maxTableColumns = 1_000;

/**
 * Most cells parsed in one table, counting each row as at least as wide as the table. Each cell
 * costs the parser about 40 µs and 8 KB however the table is shaped: 100,000 cells (10,000 rows
 * of 10 columns, or 100 of 1,000) take about 3.5 s and 900 MB, 200,000 take 8 s and 1.6 GB.
 */
export const maxTableCells = 100_000;

/**
 * Longest line parsed, in characters. One line is one paragraph or table row, and the parser
 * needs a few hundred bytes of memory per character of dense markup: a 1 MB line of links takes
 * 4 s and 780 MB, a 9 MB one 41 s and 3.5 GB, or runs out of memory. The paragraph limits catch
 * most such lines first; this one also covers HTML blocks.
 */
export const maxLineLength = 500_000;

/** Why a file's shape is not parsed, and where. */
export interface ShapeProblem {
  readonly kind: 'too-deep' | 'too-complex';
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const GT = 0x3e;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const PAREN = 0x28;
const PIPE = 0x7c;

/** Whether `char` is a digit. */
function isDigit(char: number): boolean {
  return char >= 0x30 && char <= 0x39;
}

/** Whether `char` is an ASCII letter or digit. */
function isAlphanumeric(char: number): boolean {
  return (char >= 0x30 && char <= 0x39) || (char >= 0x41 && char <= 0x5a) || (char >= 0x61 && char <= 0x7a);
}

/** Whether the character at `i` ends a list marker: whitespace or the end of the line. */
function endsMarker(text: string, i: number, end: number): boolean {
  if (i >= end) return true;
  const char = text.charCodeAt(i);
  return char === SPACE || char === TAB || char === 0x0d;
}

/** Whether a backtick run at `from` is inline code rather than a fence: a backtick follows it on the line. */
function isInlineCode(text: string, from: number, end: number): boolean {
  if (text[from] !== '`') return false;
  let i = from;
  while (i < end && text[i] === '`') i++;
  for (; i < end; i++) if (text[i] === '`') return true;
  return false;
}

/** Whether `text[from, end)` is a table delimiter row (`| --- | :-: |`), and its cell count. */
function delimiterCells(text: string, from: number, end: number): number {
  let cells = 0;
  let pipes = 0;
  let inCell = false;
  for (let i = from; i < end; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x2d || char === 0x3a) { // - :
      if (!inCell) cells++;
      inCell = true;
    } else if (char === PIPE) {
      pipes++;
      inCell = false;
    } else if (char !== SPACE && char !== TAB && char !== 0x0d) {
      return 0;
    }
  }
  return pipes > 0 ? cells : 0;
}

/**
 * Finds the first shape in `text` that the markdown parser handles too slowly or with too much
 * memory (see the limits above), in one pass over the text.
 */
export function findShapeProblem(text: string): ShapeProblem | undefined {
  // The paragraph being read: its first line and column, and its counts so far.
  let paragraphLine = 0;
  let paragraphColumn = 0;
  let markers = 0;
  let bracketed = 0;
  const opens: number[] = [];
  const openLines: number[] = [];
  const openLineStarts: number[] = [];
  // The table being read: its width, its cells so far and where its delimiter row is.
  let inTable = false;
  let tableColumns = 0;
  let tableCells = 0;
  let tableLine = 0;
  let tableColumn = 0;
  let fence = '';
  let fenceQuoted = false;
  let fenceIndent = 0;

  let paragraphLength = 0;
  let words = 0;
  let inHtml = false;

  const endParagraph = (): void => {
    paragraphLine = 0;
    paragraphLength = 0;
    words = 0;
    markers = 0;
    bracketed = 0;
    opens.length = 0;
    openLines.length = 0;
    openLineStarts.length = 0;
  };

  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (fence === '' && end - start > maxLineLength) {
      return { kind: 'too-complex', line, column: 1, message: `Unexpected line of ${(end - start).toLocaleString('en-US')} characters, over the ${maxLineLength.toLocaleString('en-US')} limit; file skipped` };
    }

    // The line's container prefix: blockquote markers, list markers and indentation.
    let depth = 0;
    let columns = 0;
    let listMarkers = 0;
    let markerChars = '';
    let ordered = false;
    let quoted = false;
    let firstMarker = -1;
    let i = start;
    while (i < end) {
      const char = text.charCodeAt(i);
      if (char === GT) {
        depth++;
        quoted = true;
        i++;
      } else if (char === SPACE) {
        columns++;
        i++;
      } else if (char === TAB) {
        columns += 4;
        i++;
      } else if ((char === 0x2d || char === 0x2a || char === 0x2b) && endsMarker(text, i + 1, end)) { // - * +
        if (firstMarker === -1) firstMarker = i;
        listMarkers++;
        if (!markerChars.includes(text[i]!)) markerChars += text[i];
        i++;
        // The space after a marker is part of it, not indentation.
        if (text.charCodeAt(i) === SPACE) i++;
      } else if (isDigit(char)) {
        let j = i;
        while (j < end && j - i < 9 && isDigit(text.charCodeAt(j))) j++;
        const after = text.charCodeAt(j);
        if ((after !== 0x2e && after !== 0x29) || !endsMarker(text, j + 1, end)) break; // . )
        if (firstMarker === -1) firstMarker = i;
        listMarkers++;
        ordered = true;
        i = j + 1;
        if (text.charCodeAt(i) === SPACE) i++;
      } else {
        break;
      }
    }
    if (firstMarker === -1) firstMarker = i;
    // `- - -` or `* * *` alone is a thematic break, not nested lists.
    const thematicBreak = i >= end && !ordered && markerChars.length === 1 && markerChars !== '+' && listMarkers >= 3;
    // Too many `>` or too much indentation is placed where those end, too many markers after them.
    const stop = depth > maxNesting || columns > maxNesting * 4 ? firstMarker : !thematicBreak && depth + listMarkers > maxNesting ? i : -1;
    if (stop !== -1) {
      return { kind: 'too-deep', line, column: stop - start + 1, message: `Unexpected nesting deeper than ${maxNesting} levels; file skipped` };
    }

    let content = i;
    while (content < end && (text.charCodeAt(content) === SPACE || text.charCodeAt(content) === TAB)) content++;
    const first = text[content] ?? '';
    const blank = content >= end || (content === end - 1 && first === '\r');

    // Fenced code is not inline markup. It ends at its closing fence, or where its blockquote or
    // list item does: a line without `>`, or less indented than the fence.
    if (fence !== '' && !blank && ((fenceQuoted && !quoted) || content - start < fenceIndent)) fence = '';
    if (fence !== '') {
      if (text.startsWith(fence, content)) fence = '';
    } else if ((first === '`' || first === '~') && text.startsWith(first.repeat(3), content) && !isInlineCode(text, content, end)) {
      let close = content;
      while (text[close] === first) close++;
      fence = first.repeat(close - content);
      fenceQuoted = quoted;
      fenceIndent = content - start;
      endParagraph();
      inTable = false;
    } else if (blank) {
      endParagraph();
      inTable = false;
      inHtml = false;
    } else if (inHtml || (paragraphLine === 0 && first === '<' && HTML_BLOCK.test(text.slice(content, Math.min(end, content + 16))))) {
      // An HTML block, up to the next blank line: not inline markup.
      inHtml = true;
    } else {
      const cells = delimiterCells(text, content, end);
      if (cells > maxTableColumns) {
        return { kind: 'too-complex', line, column: content - start + 1, message: `Unexpected table of ${cells.toLocaleString('en-US')} columns, over the ${maxTableColumns.toLocaleString('en-US')}-column limit; file skipped` };
      }
      if (cells > 0 && !inTable) {
        inTable = true;
        tableColumns = cells;
        // The header row and this one.
        tableCells = 2 * cells;
        tableLine = line;
        tableColumn = content - start + 1;
      }
      // Each list item, heading and table row is inline markup of its own.
      if (listMarkers > 0 || inTable || first === '#' || first === '|') endParagraph();
      if (paragraphLine === 0) {
        paragraphLine = line;
        paragraphColumn = content - start + 1;
      }
      let pipes = 0;
      for (let k = content; k < end; k++) {
        const char = text.charCodeAt(k);
        if (char === BACKSLASH) {
          k++;
        } else if (char === OPEN) {
          opens.push(k);
          openLines.push(line);
          openLineStarts.push(start);
        } else if (char === CLOSE) {
          const open = opens.pop();
          if (open !== undefined) {
            openLines.pop();
            openLineStarts.pop();
            bracketed += k - open;
            if (bracketed > maxBracketedChars) {
              // At the outermost `[` still open, where the run starts, else where the paragraph does.
              const where = opens.length > 0
                ? { line: openLines[0]!, column: opens[0]! - openLineStarts[0]! + 1 }
                : { line: paragraphLine, column: paragraphColumn };
              return { kind: 'too-complex', ...where, message: `Unexpected \`[\` brackets nested too deeply: over ${maxBracketedChars.toLocaleString('en-US')} bracketed characters in one paragraph; file skipped` };
            }
          }
          if (text.charCodeAt(k + 1) === PAREN) {
            // A link destination: no markup inside, up to `)` or whitespace.
            let d = k + 2;
            while (d < end) {
              const next = text.charCodeAt(d);
              if (next === 0x29 || next === SPACE || next === TAB) break;
              d++;
            }
            k = d - 1;
          } else {
            markers++;
          }
        } else if (char === 0x3c) { // <
          // An HTML tag or autolink: no markup inside, up to `>` on this line.
          let d = k + 1;
          while (d < end && text.charCodeAt(d) !== GT && text.charCodeAt(d) !== 0x3c) d++;
          if (d < end && text.charCodeAt(d) === GT) k = d;
        } else if (char === 0x2a || char === 0x5f || char === 0x7e) { // * _ ~
          markers++;
        } else if (char === PIPE && inTable) {
          pipes++;
        } else if (isAlphanumeric(char) && !isAlphanumeric(text.charCodeAt(k - 1))) {
          words++;
        }
      }
      if (pipes > maxTableColumns + 1) {
        return { kind: 'too-complex', line, column: content - start + 1, message: `Unexpected table row of ${(pipes - 1).toLocaleString('en-US')} columns, over the ${maxTableColumns.toLocaleString('en-US')}-column limit; file skipped` };
      }
      if (inTable && line !== tableLine) {
        tableCells += Math.max(tableColumns, pipes - 1);
        if (tableCells > maxTableCells) {
          return { kind: 'too-complex', line: tableLine, column: tableColumn, message: `Unexpected table of over ${maxTableCells.toLocaleString('en-US')} cells; file skipped` };
        }
      }
      paragraphLength += end - content;
      if (paragraphLength > maxParagraphLength || words > maxParagraphWords) {
        const over = words > maxParagraphWords ? `${maxParagraphWords.toLocaleString('en-US')} words` : `${maxParagraphLength.toLocaleString('en-US')} characters`;
        return { kind: 'too-complex', line: paragraphLine, column: paragraphColumn, message: `Unexpected paragraph of over ${over}; file skipped` };
      }
      if (markers > maxParagraphMarkers) {
        return {
          kind: 'too-complex',
          line: paragraphLine,
          column: paragraphColumn,
          message: `Unexpected paragraph with over ${maxParagraphMarkers.toLocaleString('en-US')} unlinked \`]\`, \`*\`, \`_\` or \`~\`; file skipped`,
        };
      }
      if (first === '#') endParagraph();
    }

    if (newline === -1) return undefined;
    start = newline + 1;
    line++;
  }
  return undefined;
}
