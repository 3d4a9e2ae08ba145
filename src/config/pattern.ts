/**
 * URL patterns from the configuration (`ignoreUrls`, `allowTracking`), matched in linear time.
 *
 * A pattern is written as a JavaScript regular expression (no flags) and matched by RE2 (the
 * `re2js` port), which runs in time proportional to the URL whatever the pattern, so a pattern
 * such as `^(a+)+$` cannot stall a run. The accepted syntax is the part both engines read alike:
 * anything JavaScript accepts except lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`), backreferences
 * (`\1`, `\k<name>`), empty classes (`[]`, `[^]`), escapes RE2 reads differently (`\a`, `\A`,
 * `\z`, `\p`…: any letter JavaScript reads as itself, and `\x`, `\u`, `\c` not followed by a
 * character code) and repeat counts above 1000. `\uXXXX`, `\cX`, `[\b]`, a `[` inside a class, `.`,
 * `\s` and `\S` are rewritten into RE2's spelling of what JavaScript means by them. One difference
 * stays: RE2 reads a character outside the Basic Multilingual Plane (an emoji) as one character
 * where JavaScript sees two.
 */
import { RE2JS } from 're2js';

/** A compiled URL pattern; `test` says whether it matches anywhere in the URL, like `RegExp#test`. */
export interface UrlPattern {
  /** The pattern as written in the configuration. */
  readonly source: string;
  test(url: string): boolean;
}

/** Thrown by `compilePattern` for a pattern outside the accepted syntax; `message` says why. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

/** Compiles a pattern, or throws a `PatternError` saying why it is not accepted. */
export function compilePattern(source: string): UrlPattern {
  const compiled = compileRe2(translate(source));
  return { source, test: (url) => compiled.test(url) };
}

/** Why `source` is not an accepted pattern, or nothing when it is. */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const linearNote = 'URL patterns are matched in linear time, without lookaround or backreferences';

const hex = /^[0-9A-Fa-f]$/;

/** Compiles RE2 syntax; RE2's complaints (a repeat count above 1000, say) lose their `error parsing regexp:` prefix. */
function compileRe2(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PatternError(message.replace(/^error parsing regexp: /, ''));
  }
}

/** Lookaround openings; none has an RE2 equivalent. */
const lookarounds = ['(?=', '(?!', '(?<=', '(?<!'];

/**
 * Checks `source` against JavaScript first (so its syntax errors read as JavaScript's), then
 * rewrites it into RE2 syntax with the same meaning, throwing a `PatternError` for what has none.
 */
function translate(source: string): string {
  try {
    new RegExp(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PatternError(message.slice(message.lastIndexOf(': ') + 1).trim());
  }
  let out = '';
  let inClass = false;
  let afterClassEscape = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? '';
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      out += escape(source, i, inClass);
      afterClassEscape = classEscapes.has(next);
      i += next === 'u' && isHex4(source, i + 2) ? 5 : next === 'c' && /^[A-Za-z]$/.test(source[i + 2] ?? '') ? 2 : 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      // JavaScript reads a `-` beside `\d`, `\s`… as itself; RE2 would take it for a range.
      const beforeClassEscape = source[i + 1] === '\\' && classEscapes.has(source[i + 2] ?? '');
      if (char === '-' && (afterClassEscape || beforeClassEscape)) out += '\\-';
      // RE2 reads `[:alpha:]` inside a class as a named class; JavaScript reads `[` as itself.
      else out += char === '[' ? '\\[' : char;
      afterClassEscape = false;
      continue;
    }
    if (char === '[') {
      const negated = source[i + 1] === '^';
      if (source[i + (negated ? 2 : 1)] === ']') {
        throw new PatternError(`unsupported empty class \`${negated ? '[^]' : '[]'}\`; ${negated ? 'write `[\\s\\S]` for any character' : 'it matches nothing'}`);
      }
      inClass = true;
      out += negated ? '[^' : '[';
      i += negated ? 1 : 0;
      continue;
    }
    const look = char === '(' ? lookarounds.find((opening) => source.startsWith(opening, i)) : undefined;
    if (look !== undefined) {
      throw new PatternError(`unsupported ${look.includes('<') ? 'lookbehind' : 'lookahead'} \`${look}\`; ${linearNote}`);
    }
    out += char === '.' ? anyButLineEnd : char;
  }
  return out;
}

/** Escapes that stand for a set of characters, never one end of a range. */
const classEscapes = new Set(['d', 'D', 'w', 'W', 's', 'S']);

/** Letters whose escape means the same in both engines (JavaScript reads any other letter as itself). */
const sharedEscapes = new Set(['d', 'D', 'w', 'W', 'b', 'B', 'f', 'n', 'r', 't', 'v']);

/** JavaScript's `\s` (RE2's is ASCII only), as class contents. */
const space = String.raw`\t\n\x0b\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`;

/** JavaScript's `\S`, as class contents: every code point outside `space`. */
const nonSpace = String.raw`\x00-\x08\x0e-\x1f\x21-\x9f\x{a1}-\x{167f}\x{1681}-\x{1fff}\x{200b}-\x{2027}\x{202a}-\x{202e}\x{2030}-\x{205e}\x{2060}-\x{2fff}\x{3001}-\x{fefe}\x{ff00}-\x{10ffff}`;

/** JavaScript's `.`: anything but a line terminator (RE2's excludes only `\n`). */
const anyButLineEnd = String.raw`[^\n\r\x{2028}\x{2029}]`;

/** The RE2 spelling of the escape starting at `source[i]` (a backslash). */
function escape(source: string, i: number, inClass: boolean): string {
  const next = source[i + 1] ?? '';
  if (next === 'u' && isHex4(source, i + 2)) return `\\x{${source.slice(i + 2, i + 6)}}`;
  if (next === 'c' && /^[A-Za-z]$/.test(source[i + 2] ?? '')) {
    return `\\x${(source.charCodeAt(i + 2) % 32).toString(16).padStart(2, '0')}`;
  }
  if (next === 'x') {
    if (hex.test(source[i + 2] ?? '') && hex.test(source[i + 3] ?? '')) return '\\x';
    throw new PatternError('unsupported escape `\\x` without two hex digits');
  }
  if (next === 'b' && inClass) return '\\x08';
  if (next === 's') return inClass ? space : `[${space}]`;
  if (next === 'S') return inClass ? nonSpace : `[${nonSpace}]`;
  if (next === '0') return '\\0';
  if (/^[1-9]$/.test(next)) {
    throw new PatternError(
      inClass ? `unsupported octal escape \`\\${next}\`; write \`\\x0${next}\`` : `unsupported backreference \`\\${next}\`; ${linearNote}`,
    );
  }
  if (next === 'k') throw new PatternError(`unsupported backreference \`\\k\`; ${linearNote}`);
  if (/^[A-Za-z]$/.test(next)) {
    if (sharedEscapes.has(next) && !(inClass && next === 'B')) return `\\${next}`;
    throw new PatternError(`unsupported escape \`\\${next}\`; write \`${next}\` for the letter itself`);
  }
  // Any other character stands for itself; RE2 accepts a backslash only before ASCII punctuation.
  return next.charCodeAt(0) < 0x80 ? `\\${next}` : next;
}

function isHex4(source: string, start: number): boolean {
  for (let i = start; i < start + 4; i++) if (!hex.test(source[i] ?? '')) return false;
  return true;
}
