/**
 * Finds where a link destination is written in the source, so a fix can rewrite exactly it.
 *
 * mdast records the decoded URL but not where it sits. These scanners follow CommonMark's rules for
 * link text, labels and destinations; the caller checks the result against mdast's URL and drops
 * it when the two disagree, so an unusual construct yields no range rather than a wrong one.
 */

/** A span of the file's text as 0-based offsets, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const BACKSLASH = 92;
const BACKTICK = 96;

/** Whether the code unit is ASCII punctuation, which a backslash can escape. */
function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  );
}

/** Index just past the backtick run at `from` and its matching closing run, or past the opening run alone. */
function skipCodeSpan(text: string, from: number, end: number): number {
  let runEnd = from;
  while (runEnd < end && text.charCodeAt(runEnd) === BACKTICK) runEnd++;
  const size = runEnd - from;
  let index = runEnd;
  while (index < end) {
    if (text.charCodeAt(index) !== BACKTICK) {
      index++;
      continue;
    }
    let close = index;
    while (close < end && text.charCodeAt(close) === BACKTICK) close++;
    if (close - index === size) return close;
    index = close;
  }
  return runEnd;
}

/**
 * Index of the `]` closing link text whose content starts at `from`, honouring backslash escapes,
 * code spans and nested brackets; -1 when there is none before `end`.
 */
export function findTextEnd(text: string, from: number, end: number): number {
  let depth = 0;
  let index = from;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index += 2;
    else if (code === BACKTICK) index = skipCodeSpan(text, index, end);
    else {
      if (code === 91) depth++;
      else if (code === 93) {
        if (depth === 0) return index;
        depth--;
      }
      index++;
    }
  }
  return -1;
}

/** Index of the first unescaped `]` of a reference label starting at `from`; -1 when there is none. */
export function findLabelEnd(text: string, from: number, end: number): number {
  for (let index = from; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index++;
    else if (code === 91) return -1;
    else if (code === 93) return index;
  }
  return -1;
}

/** Skips spaces and tabs, then at most one line ending and the spaces and tabs after it. */
function skipWhitespace(text: string, from: number, end: number): number {
  let index = from;
  let hasLineEnding = false;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9) index++;
    else if ((code === 10 || code === 13) && !hasLineEnding) {
      hasLineEnding = true;
      index += code === 13 && text.charCodeAt(index + 1) === 10 ? 2 : 1;
    } else break;
  }
  return index;
}

/**
 * The destination that starts after optional whitespace at `from` (just past `(` or `]:`): the
 * text inside `<…>`, or a raw destination with balanced parentheses.
 */
export function findDestination(text: string, from: number, end: number): Span | undefined {
  const start = skipWhitespace(text, from, end);
  if (text.charCodeAt(start) === 60) {
    for (let index = start + 1; index < end; index++) {
      const code = text.charCodeAt(index);
      if (code === BACKSLASH) index++;
      else if (code === 62) return { start: start + 1, end: index };
      else if (code === 10 || code === 13 || code === 60) return undefined;
    }
    return undefined;
  }
  let depth = 0;
  let index = start;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code <= 32 || code === 127) break;
    if (code === BACKSLASH && isAsciiPunctuation(text.charCodeAt(index + 1))) index++;
    else if (code === 40) depth++;
    else if (code === 41) {
      if (depth === 0) break;
      depth--;
    }
    index++;
  }
  return { start, end: index };
}

/** Whether the raw destination text can be what mdast decoded into `url`. */
export function matchesUrl(raw: string, url: string): boolean {
  if (raw === url) return true;
  // Character references decode to arbitrary text; the scan itself is trusted then.
  if (raw.includes('&')) return true;
  return raw.replace(/\\([!-/:-@[-`{-~])/g, '$1') === url;
}
