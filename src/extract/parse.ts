/**
 * Markdown to mdast, parsed once per file with CommonMark plus GitHub's extensions.
 */
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm).freeze();

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
  return processor.parse(source);
}
