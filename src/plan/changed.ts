/**
 * PR mode (`--changed-since`): which files to check and which of their links changed, decided
 * from what git says changed. Pure: the git side is in src/io/git.ts.
 */
import path from 'node:path';
import type { FileChange, LineSpan } from '../io/git.js';
import type { Link, LinkTarget } from '../types.js';

/** The lines of a selected file that changed: every line, or these spans (none for a file that only links into a changed one). */
export type ChangedLines = 'all' | readonly LineSpan[];

/** A collected file and where its links point (`targets[i]` for its `i`-th link). */
export interface LinkingFile {
  readonly file: string;
  readonly targets: readonly LinkTarget[];
}

/** README names a link to a directory may be shown, as GitHub picks them (compared case-insensitively). */
const readmePattern = /^readme(\.[a-z]+)?$/i;

/**
 * The files to check, each with its changed lines: the collected files that changed (added,
 * modified, renamed), and every other collected file with a local link into one of them, or to a
 * path that a rename or deletion took away; those links are what a renamed heading, file or
 * directory README breaks. A file's changed lines are `'all'` when git gave no line spans for it.
 */
export function selectChanged(files: readonly LinkingFile[], changes: readonly FileChange[]): Map<string, ChangedLines> {
  const collected = new Set(files.map(({ file }) => file));
  const selected = new Map<string, ChangedLines>();
  const gone = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'deleted') gone.add(change.path);
    if (change.kind === 'renamed') gone.add(change.from);
    if (change.kind !== 'deleted' && collected.has(change.path)) {
      selected.set(change.path, change.kind === 'added' || change.lines === undefined ? 'all' : change.lines);
    }
  }
  const targets = new Set([...selected.keys(), ...gone]);
  const readmeDirs = new Set([...targets].filter((file) => readmePattern.test(path.posix.basename(file))).map(directoryOf));
  for (const { file, targets: linked } of files) {
    if (selected.has(file)) continue;
    const linksIn = linked.some((target) => target.kind === 'local' && (targets.has(target.path) || readmeDirs.has(target.path)));
    if (linksIn) selected.set(file, []);
  }
  return selected;
}

/** `docs/README.md` → `docs`, `README.md` → `.`, the way link targets name directories. */
function directoryOf(file: string): string {
  return path.posix.dirname(file);
}

/**
 * Which links of a file changed: those whose lines meet a changed span. A reference takes its URL
 * from its definition, so a reference and its definition count as changed together when either
 * one's lines changed (a new use of an old definition links that URL anew).
 */
export function changedLinks(links: readonly Link[], lines: ChangedLines): boolean[] {
  if (lines === 'all') return links.map(() => true);
  const changed = links.map((link) => touches(lines, link));
  const definitions = new Map<number, number>();
  links.forEach((link, i) => {
    if (link.kind === 'definition') definitions.set(link.range.start.offset, i);
  });
  links.forEach((link, i) => {
    if (link.definition === undefined) return;
    const at = definitions.get(link.definition.start.offset);
    if (at === undefined || !(changed[i] === true || changed[at] === true)) return;
    changed[i] = true;
    changed[at] = true;
  });
  return changed;
}

/** Whether a link's lines (start to end, an end at column 1 not counted) meet one of the spans. */
export function touches(spans: readonly LineSpan[], link: Pick<Link, 'range'>): boolean {
  const { start, end } = link.range;
  const first = start.line;
  const last = end.line > start.line && end.column === 1 ? end.line - 1 : end.line;
  return spans.some((span) =>
    span.count === 0 ? first <= span.start && last > span.start : first < span.start + span.count && last >= span.start,
  );
}
