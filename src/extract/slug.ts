/**
 * Heading slugs exactly as GitHub renders them.
 *
 * GitHub builds a heading's id from the rendered heading's text content: inline code, emphasis and
 * link text count; raw inline HTML tags vanish but the text between them stays; an `<img>` or a
 * markdown image contributes nothing (its alt text is not text content). `github-slugger` then
 * lowercases the text, drops punctuation and symbols (emoji included) and turns each space into a
 * `-`, and one slugger per document numbers repeats `-1`, `-2` in document order.
 */
import GithubSlugger, { slug as githubSlug } from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import type { Heading as MdastHeading } from 'mdast';

/** Numbers repeated slugs within one document, the way GitHub does. */
export interface HeadingSlugger {
  /** The slug for `text`, with `-1`, `-2`… appended when an earlier call already produced it. */
  slug(text: string): string;
}

/** The GitHub slug of a heading's text, without duplicate numbering. */
export function slugify(text: string): string {
  return githubSlug(text);
}

/** A fresh slugger: use one per document so duplicate headings get `-1`, `-2` in order. */
export function createSlugger(): HeadingSlugger {
  const slugger = new GithubSlugger();
  return { slug: (text) => slugger.slug(text) };
}

/** The text content GitHub renders for a heading: image alt text and raw HTML tags left out. */
export function headingText(heading: MdastHeading): string {
  return toString(heading, { includeImageAlt: false, includeHtml: false });
}
