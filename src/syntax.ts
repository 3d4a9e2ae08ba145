/**
 * What extraction finds in one markdown file: positions, links, anchors, headings, directives and
 * the table of contents, gathered in a {@link Document}. Re-exported by `types.ts`; no layer needs
 * to import this file directly.
 */

/** A place in a source file: 1-based line and column, 0-based offset into the decoded text (UTF-16 units). */
export interface Point {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A span in a source file, end exclusive. */
export interface Range {
  readonly start: Point;
  readonly end: Point;
}

/** One collected markdown file: its path relative to the root (with `/` separators) and its bytes. */
export interface Source {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** How a link was written in the markdown. */
export type LinkSyntax =
  | 'inline' // [text](url) and ![alt](url)
  | 'full' // [text][label]
  | 'collapsed' // [label][]
  | 'shortcut' // [label]
  | 'autolink' // <https://…>
  | 'literal' // a GFM bare URL or www. link
  | 'definition' // [label]: url
  | 'html'; // href/src in raw HTML

/** One link, image, definition or raw-HTML reference found in a file. */
export interface Link {
  /** `link` for anchors and autolinks, `image` for images and `<img>`/`<source>`, `definition` for `[label]: url`. */
  readonly kind: 'link' | 'image' | 'definition';
  readonly syntax: LinkSyntax;
  /** The destination as written, after reference resolution (for references: the definition's URL). */
  readonly url: string;
  /** Plain-text content of the link (alt text for images, empty for definitions). */
  readonly text: string;
  /** Range of the whole link node (or HTML tag) in the file. */
  readonly range: Range;
  /** Range of the destination itself, when it appears literally in this file (not for references). */
  readonly urlRange?: Range;
  /** The reference label for `full`, `collapsed`, `shortcut` links and definitions. */
  readonly label?: string;
  /** For a reference: the range of the definition that gives it its URL (the first one of its label). */
  readonly definition?: Range;
}

/** A definition GitHub renders nothing for: no reference uses it, or an earlier one has its label. */
export interface UnusedDefinition {
  readonly label: string;
  readonly url: string;
  readonly range: Range;
  /** For a duplicate label: the range of the first definition, the one GitHub uses. */
  readonly shadowedBy?: Range;
}

/** Where an anchor a fragment can point at comes from. */
export type AnchorSource = 'heading' | 'html-id' | 'html-name';

/** An anchor a URL fragment can point at. */
export interface Anchor {
  /** The id as GitHub renders it, without the `user-content-` prefix (heading slugs are lowercase). */
  readonly id: string;
  readonly source: AnchorSource;
  readonly range: Range;
}

/** A heading with its rendered text and slug. */
export interface Heading {
  readonly depth: 1 | 2 | 3 | 4 | 5 | 6;
  readonly text: string;
  readonly slug: string;
  readonly range: Range;
}

/** A reference like `[text][label]` whose label has no definition. */
export interface UndefinedReference {
  readonly label: string;
  readonly range: Range;
}

/** An inline control comment: `<!-- waymark-disable … -->` and friends. */
export interface Directive {
  readonly kind: 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
  /** The rule ids named; empty means every rule. */
  readonly rules: readonly string[];
  readonly range: Range;
}

/** Everything extracted from one markdown file. */
export interface Document {
  readonly file: string;
  readonly links: readonly Link[];
  readonly anchors: readonly Anchor[];
  readonly headings: readonly Heading[];
  readonly undefinedReferences: readonly UndefinedReference[];
  /** Definitions that no rendered link uses; they are not in `links` and are never checked. */
  readonly unusedDefinitions: readonly UnusedDefinition[];
  readonly directives: readonly Directive[];
  /**
   * Where each list item that opens with a link has that link (nested items too, in document
   * order): a curated list's entries. The link may sit inside emphasis (`- **[Name](url)** …`);
   * an item that opens with words (`- See [the guide](…)`) has none.
   */
  readonly listEntries: readonly Range[];
  /** The file's first top-level list made only of in-file fragment links (a table of contents), if any. */
  readonly toc?: TocList;
}

/** A list whose items are each one in-file fragment link, with nested lists of the same kind. */
export interface TocList {
  readonly range: Range;
  /** The first item's marker as written: `-`, `*`, `+`, `1.` or `1)`. */
  readonly marker: string;
  /** Columns a nested list is indented by (the first nested item's, else 2, or 3 for numbers). */
  readonly indent: number;
  /** Depth first, in order. */
  readonly entries: readonly TocEntry[];
}

/** One entry of a table of contents. */
export interface TocEntry {
  /** The fragment without `#`, as written. */
  readonly fragment: string;
  readonly text: string;
  /** 0 for the top-level items, 1 for those nested once, and so on. */
  readonly depth: number;
  readonly range: Range;
}
