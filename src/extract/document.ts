/**
 * One walk over a file's mdast that gathers its links, anchors, headings, undefined references
 * and directives.
 */
import type { Heading as MdastHeading, Nodes, Parents, Root } from 'mdast';
import type { Anchor, Directive, Document, Heading, Range, TocList, UndefinedReference, UnusedDefinition } from '../types.js';
import type { HtmlScanner } from './html.js';
import { createHtmlScanner } from './html.js';
import type { LinkRecord, SourceFile } from './links.js';
import { fromDefinition, fromImage, fromLink, fromReference } from './links.js';
import type { MissedTag } from './missed-tags.js';
import { findMissedTags } from './missed-tags.js';
import { parseMarkdown } from './parse.js';
import type { LineIndex } from './positions.js';
import { createLineIndex, nodeSpan } from './positions.js';
import type { MarkerFinder, ReferenceCandidate } from './references.js';
import { createMarkerFinder, findReferenceCandidates, normalizeLabel } from './references.js';
import type { HeadingSlugger } from './slug.js';
import { createSlugger, headingText } from './slug.js';
import { tocOf } from './toc.js';

/** A reference link waiting for every definition to be known. */
export interface PendingReference {
  readonly record: LinkRecord;
  readonly identifier: string;
}

/** Everything the walk accumulates for one file. */
interface WalkState {
  readonly source: SourceFile;
  readonly html: HtmlScanner;
  readonly slugger: HeadingSlugger;
  readonly links: LinkRecord[];
  readonly anchors: Anchor[];
  readonly headings: Heading[];
  readonly directives: Directive[];
  /** The first definition of each label (by identifier), the one GitHub uses. */
  readonly definitions: Map<string, LinkRecord>;
  readonly references: (PendingReference | undefined)[];
  readonly candidates: ReferenceCandidate[];
  /** Where `][` occurs, for references without a definition. */
  readonly markers: MarkerFinder;
  /** Where `<` occurs, for tags micromark missed. */
  readonly tagStarts: MarkerFinder;
  /** Tags micromark left as text in the current paragraph (see `missed-tags.ts`), not yet scanned. */
  missed: MissedTag[];
  /** The last of those tags scanned, which a GFM literal may still reach into. */
  scannedTag: MissedTag | undefined;
  /** List items so far. */
  readonly listEntries: Range[];
  /** The first table of contents, once found; `listDepth` is how deep in lists the walk is. */
  toc: TocList | undefined;
  listDepth: number;
}

/**
 * What one walk gathered from a file, or from one part of it (see split.ts), before references are
 * resolved and heading slugs numbered across the whole file: plain data a parse worker can send back.
 */
export type Walked = Pick<WalkState, 'links' | 'anchors' | 'headings' | 'directives' | 'definitions' | 'references' | 'candidates' | 'listEntries' | 'toc'>;

/**
 * Extracts links, anchors, headings, undefined references and directives from one markdown file.
 *
 * Pure: `file` is only recorded on the result. Positions are 1-based lines and columns with
 * 0-based offsets into `text`.
 */
export function extractDocument(file: string, text: string): Document {
  const source = sourceFile(text);
  return finishDocument(file, source, [walkTree(parseMarkdown(text), source)]);
}

/** A file's text with its line table. */
export function sourceFile(text: string): SourceFile {
  return { text, lines: createLineIndex(text) };
}

/** Walks a file's mdast (or the part of it one chunk parsed, with offsets into the whole `source`). */
export function walkTree(tree: Root, source: SourceFile): Walked {
  const { text } = source;
  const links: LinkRecord[] = [];
  const anchors: Anchor[] = [];
  const directives: Directive[] = [];
  const state: WalkState = {
    source,
    html: createHtmlScanner(source, { links, anchors, directives }),
    slugger: createSlugger(),
    links,
    anchors,
    headings: [],
    directives,
    definitions: new Map(),
    references: [],
    candidates: [],
    markers: createMarkerFinder(text, ']['),
    tagStarts: createMarkerFinder(text, '<'),
    missed: [],
    scannedTag: undefined,
    listEntries: [],
    toc: undefined,
    listDepth: 0,
  };
  visitChildren(tree, state, false);
  const { headings, definitions, references, candidates, listEntries, toc } = state;
  return { links, anchors, headings, directives, definitions, references, candidates, listEntries, toc };
}

/** The document from the walks over a file's parts, in order (one walk for a file parsed whole). */
export function finishDocument(file: string, source: SourceFile, parts: readonly Walked[]): Document {
  const walked = parts.length === 1 && parts[0] !== undefined ? parts[0] : mergeParts(parts);
  const { anchors, headings, directives, listEntries, toc } = walked;
  return { file, ...resolveReferences(walked, source.lines), anchors, headings, directives, listEntries, ...(toc === undefined ? {} : { toc }) };
}

/**
 * Joins the walks over a file's parts as one walk over the whole file would have gathered them:
 * the first definition of a label wins, repeated heading slugs are numbered across the file, and the
 * table of contents is the first part's that has one.
 */
function mergeParts(parts: readonly Walked[]): Walked {
  const definitions = new Map<string, LinkRecord>();
  for (const part of parts) for (const [identifier, record] of part.definitions) if (!definitions.has(identifier)) definitions.set(identifier, record);
  const slugger = createSlugger();
  // A heading and its anchor share one range object (see visitHeading).
  const slugs = new Map<Range, string>();
  const headings = parts.flatMap((part) => part.headings).map((heading) => {
    const slug = slugger.slug(heading.text);
    slugs.set(heading.range, slug);
    return { ...heading, slug };
  });
  const anchors = parts.flatMap((part) => part.anchors).map((anchor) => (anchor.source === 'heading' ? { ...anchor, id: slugs.get(anchor.range) ?? anchor.id } : anchor));
  return {
    links: parts.flatMap((part) => part.links),
    anchors,
    headings,
    directives: parts.flatMap((part) => part.directives),
    definitions,
    references: parts.flatMap((part) => part.references),
    candidates: parts.flatMap((part) => part.candidates),
    listEntries: parts.flatMap((part) => part.listEntries),
    toc: parts.find((part) => part.toc !== undefined)?.toc,
  };
}

/**
 * Fills in reference URLs from the definitions, keeps the candidates that have none, and takes
 * out the definitions GitHub renders nothing for: a label's later duplicates and the ones no
 * reference uses. Those are reported by `unused-definition` and never checked as links.
 */
function resolveReferences(state: Walked, lines: LineIndex): Pick<Document, 'links' | 'undefinedReferences' | 'unusedDefinitions'> {
  const undefinedReferences: UndefinedReference[] = [];
  const dropped = new Set<LinkRecord>();
  const used = new Set<LinkRecord>();
  for (const pending of state.references) {
    if (pending === undefined) continue;
    const definition = state.definitions.get(pending.identifier);
    if (definition === undefined) {
      dropped.add(pending.record);
      continue;
    }
    pending.record.url = definition.url;
    pending.record.definition = definition.range;
    used.add(definition);
  }
  for (const candidate of state.candidates) {
    if (state.definitions.has(candidate.identifier)) continue;
    const range = lines.range(candidate.start, candidate.end);
    undefinedReferences.push({ label: candidate.label, range });
  }
  const unusedDefinitions: UnusedDefinition[] = [];
  for (const link of state.links) {
    if (link.kind !== 'definition' || used.has(link)) continue;
    const first = state.definitions.get(normalizeLabel(link.label ?? ''));
    const shadowed = first !== undefined && first !== link;
    dropped.add(link);
    unusedDefinitions.push({
      label: link.label ?? '',
      url: link.url,
      range: link.range,
      ...(shadowed ? { shadowedBy: first.range } : {}),
    });
  }
  const links = dropped.size === 0 ? state.links : state.links.filter((link) => !dropped.has(link));
  return { links, undefinedReferences, unusedDefinitions };
}

/** Visits the children of `parent` in order. */
function visitChildren(parent: Parents, state: WalkState, inPhrasing: boolean): void {
  for (const child of parent.children) visit(child, state, inPhrasing);
}

/** Visits one node and what it contains. */
function visit(node: Nodes, state: WalkState, inPhrasing: boolean): void {
  switch (node.type) {
    case 'code':
      return;
    case 'text':
      if (state.missed.length > 0) visitTextWithTags(node, state);
      else if (state.html.isCollecting) state.html.appendText(node.value);
      return;
    case 'inlineCode':
      if (state.html.isCollecting) state.html.appendText(node.value);
      return;
    case 'html':
      visitHtml(node.value, node, state, inPhrasing);
      return;
    case 'heading':
      visitHeading(node, state);
      visitPhrasing(node, state);
      return;
    case 'paragraph':
    case 'tableCell':
      visitPhrasing(node, state);
      return;
    case 'link':
      if (state.scannedTag !== undefined && visitLiteralInTag(node, state)) return;
      visitLink(node, state);
      visitChildren(node, state, inPhrasing);
      return;
    case 'definition':
    case 'image':
    case 'linkReference':
    case 'imageReference':
      visitLink(node, state);
      if ('children' in node) visitChildren(node, state, inPhrasing);
      return;
    case 'list':
      if (state.listDepth === 0 && state.toc === undefined) state.toc = tocOf(node, state.source);
      state.listDepth += 1;
      visitChildren(node, state, inPhrasing);
      state.listDepth -= 1;
      return;
    case 'listItem': {
      const entry = openingLink(node);
      const span = entry === undefined ? undefined : nodeSpan(entry);
      if (span !== undefined) state.listEntries.push(state.source.lines.range(span.start, span.end));
      visitChildren(node, state, inPhrasing);
      return;
    }
    default:
      if ('children' in node) visitChildren(node, state, inPhrasing);
  }
}

/**
 * The link a list item opens with: the first thing in its first paragraph, looking inside
 * emphasis, strong and strikethrough wrapped around it. A task item's checkbox is not content.
 */
function openingLink(item: Nodes): Nodes | undefined {
  if (!('children' in item)) return undefined;
  const first = item.children[0];
  if (first?.type !== 'paragraph') return undefined;
  let node: Nodes | undefined = first.children[0];
  while (node !== undefined && (node.type === 'strong' || node.type === 'emphasis' || node.type === 'delete')) node = node.children[0];
  return node?.type === 'link' || node?.type === 'linkReference' ? node : undefined;
}

/** Visits a paragraph, heading or table cell: its inline content, then references in its source. */
function visitPhrasing(node: Parents, state: WalkState): void {
  state.missed = findMissedTags(node, state.source.text, state.tagStarts);
  visitChildren(node, state, true);
  state.missed = [];
  state.scannedTag = undefined;
  state.html.flush();
  for (const candidate of findReferenceCandidates(node, state.source.text, state.markers)) state.candidates.push(candidate);
}

/** A text node that holds tags micromark missed: its text around them is text, the tags are HTML. */
function visitTextWithTags(node: Extract<Nodes, { type: 'text' }>, state: WalkState): void {
  const span = nodeSpan(node);
  if (span === undefined) return;
  let from = span.start;
  while (state.missed[0] !== undefined && state.missed[0].start < span.end) {
    const tag = state.missed.shift() as MissedTag;
    if (tag.start > from && state.html.isCollecting) state.html.appendText(state.source.text.slice(from, tag.start));
    state.html.scan(tag.text, tag.start);
    state.scannedTag = tag;
    from = Math.max(from, tag.end);
  }
  if (from < span.end && state.html.isCollecting) state.html.appendText(state.source.text.slice(from, span.end));
}

/**
 * A GFM literal that starts inside a missed tag is the tag's attribute value, not a link (the tag
 * was scanned with the text before it); what follows the tag's `>` is text. Returns whether the
 * node was such a literal.
 */
function visitLiteralInTag(node: Extract<Nodes, { type: 'link' }>, state: WalkState): boolean {
  const span = nodeSpan(node);
  if (span === undefined) return false;
  const text = state.source.text;
  // The tag that holds the literal may already have been scanned with the text node before it.
  const tag = state.scannedTag;
  if (tag === undefined || span.start < tag.start || span.start >= tag.end) return false;
  if (span.end > tag.end && state.html.isCollecting) state.html.appendText(text.slice(tag.end, span.end));
  return true;
}

/** Scans a raw HTML node; a block closes every `<a>` it left open. */
function visitHtml(value: string, node: Nodes, state: WalkState, inPhrasing: boolean): void {
  const span = nodeSpan(node);
  if (span === undefined) return;
  state.html.scan(value, span.start);
  if (!inPhrasing) state.html.flush();
}

/** Records a heading and its anchor, slugged from the text GitHub renders for it. */
function visitHeading(node: MdastHeading, state: WalkState): void {
  const span = nodeSpan(node);
  if (span === undefined) return;
  const text = headingText(node);
  const slug = state.slugger.slug(text);
  const range = state.source.lines.range(span.start, span.end);
  state.headings.push({ depth: node.depth, text, slug, range });
  // GitHub gives a heading without any content no anchor.
  if (node.children.length > 0) state.anchors.push({ id: slug, source: 'heading', range });
}

/** Records a markdown link, image, reference or definition. */
function visitLink(
  node: Extract<Nodes, { type: 'definition' | 'link' | 'image' | 'linkReference' | 'imageReference' }>,
  state: WalkState,
): void {
  const span = nodeSpan(node);
  if (span === undefined) return;
  const { source } = state;
  switch (node.type) {
    case 'definition': {
      const record = fromDefinition(node, span, source);
      state.links.push(record);
      if (!state.definitions.has(node.identifier)) state.definitions.set(node.identifier, record);
      return;
    }
    case 'link':
      state.links.push(fromLink(node, span, source));
      return;
    case 'image':
      state.links.push(fromImage(node, span, source));
      if (state.html.isCollecting) state.html.appendText(node.alt ?? '');
      return;
    case 'linkReference':
    case 'imageReference': {
      const record = fromReference(node, span, '', source);
      state.links.push(record);
      state.references.push({ record, identifier: node.identifier });
      if (node.type === 'imageReference' && state.html.isCollecting) state.html.appendText(node.alt ?? '');
    }
  }
}
