import type { Edit, Link } from '../types.js';

/** Characters no rewritten destination may hold: they could end it, or need escapes the new text lacks. */
const unsafe = /[\s\u0000-\u001f\u007f<>"'`\\]/u;

/** What GFM trims from the end of a bare URL, so a literal ending in one would lose it. */
const literalTrailing = /[?!.,:*_~;)]$/;

/**
 * The edit that makes a link's destination `url`, when that is certain: the destination is written
 * in this file exactly as the URL (no escapes, entities or angle brackets around a different text),
 * and `url` can stand in its place without changing how the markdown parses (no space, quote,
 * angle bracket or backslash, balanced parentheses; for a bare URL, no trailing punctuation). A GFM
 * `www.` literal is the URL without its `http://`, and keeps that form when the URL allows it.
 */
export function destinationEdit(link: Link, url: string): Edit | undefined {
  if (link.urlRange === undefined || unsafe.test(url) || !hasBalancedParentheses(url)) return undefined;
  const start = link.urlRange.start.offset;
  const end = link.urlRange.end.offset;
  if (link.syntax === 'literal' && literalTrailing.test(url)) return undefined;
  if (end - start === link.url.length) return { start, end, text: url };
  const implied = 'http://';
  const isBareWww = link.syntax === 'literal' && link.url.startsWith(implied) && end - start === link.url.length - implied.length;
  if (!isBareWww) return undefined;
  return { start, end, text: url.startsWith(`${implied}www.`) ? url.slice(implied.length) : url };
}

function hasBalancedParentheses(url: string): boolean {
  let depth = 0;
  for (const char of url) {
    if (char === '(') depth++;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
