/**
 * Markdown to mdast, parsed once per file with CommonMark plus GitHub's extensions.
 */
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm).freeze();

/** U+FEFF, the byte order mark. */
const BOM = '\ufeff';

const FRONT_MATTER = /^---[ \t]*\r?\n(?:[^]*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Parses `text` into mdast; positions are offsets into `text` itself.
 *
 * A YAML front matter block at the very start (`---` … `---`) is rendered by GitHub as a table, not
 * as markdown, so it is blanked out (same length, line breaks kept) before parsing: its closing
 * `---` would otherwise turn the line above it into a setext heading.
 */
export function parseMarkdown(text: string): Root {
  const frontMatter = FRONT_MATTER.exec(text);
  const source =
    frontMatter === null
      ? text
      : frontMatter[0].replace(/[^\r\n]/g, ' ') + text.slice(frontMatter[0].length);
  // micromark drops a leading U+FEFF without counting it, which would shift every offset by one.
  // The file's own BOM is gone already (see collect/decode.ts), so one still at the start is text,
  // as it is to GitHub: give micromark a BOM to drop in front of it.
  return processor.parse(source.startsWith(BOM) ? BOM + source : source);
}

/** How long the YAML front matter block at the start of `text` is (0 without one). */
export function frontMatterLength(text: string): number {
  return FRONT_MATTER.exec(text)?.[0].length ?? 0;
}
