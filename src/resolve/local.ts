import path from 'node:path';
import type { FileSystem } from '../io/fs.js';
import { memoize } from '../memo.js';
import { closest } from '../suggest.js';
import type { FileStatus } from '../types.js';

/** Extensions GitHub renders as markdown, so their headings are anchors. */
const markdownPattern = /\.(md|markdown|mdown|mkdn|mkd|mdwn|mdtxt|mdtext)$/i;

/** README names GitHub shows for a directory, most preferred first (compared case-insensitively). */
const readmePattern = /^readme(\.(md|markdown|mdown|mkdn|mkd|mdwn|rst|txt|org|adoc|asciidoc|textile|rdoc|wiki|pod|creole))?$/i;

/** Whether GitHub renders a file as markdown. */
export function isMarkdownPath(file: string): boolean {
  return markdownPattern.test(file);
}

/**
 * Resolves local link targets against the file system, case-sensitively as on GitHub, even on a
 * case-insensitive disk: each path segment must appear exactly in its parent's listing.
 */
export class LocalResolver {
  readonly #fs: FileSystem;
  readonly #cwd: string;
  /** What is at a target path (relative to cwd); each path is looked up once. */
  readonly status: (target: string) => Promise<FileStatus>;
  readonly #list: (dir: string) => Promise<readonly string[] | undefined>;

  /** `cwd` is the absolute working directory that target paths are relative to. */
  constructor(fs: FileSystem, cwd: string) {
    this.#fs = fs;
    this.#cwd = cwd;
    this.status = memoize((target) => this.#resolve(target));
    this.#list = memoize((dir) => this.#fs.list(dir));
  }

  async #resolve(target: string): Promise<FileStatus> {
    const absolute = path.resolve(this.#cwd, target);
    const spelled = await this.#spelling(absolute);
    if (spelled === undefined) return { kind: 'missing', ...(await this.#suggest(absolute)) };
    if (spelled !== absolute) return { kind: 'case-mismatch', actual: this.#relative(spelled) };
    const kind = await this.#fs.kind(absolute);
    if (kind === undefined) return { kind: 'missing', ...(await this.#suggest(absolute)) };
    if (kind === 'file') return { kind: 'file', isMarkdown: isMarkdownPath(absolute) };
    const readme = pickReadme((await this.#list(absolute)) ?? []);
    return readme === undefined ? { kind: 'directory' } : { kind: 'directory', readme };
  }

  /**
   * The path as the disk spells it, segment by segment from the listings (so it differs from
   * `absolute` only in case), or `undefined` when some segment does not exist in any case.
   *
   * The working directory is taken as given: only the segments after the part `absolute` shares
   * with it are compared, so a working directory typed in another case (as Windows allows) does
   * not turn every link into a case mismatch.
   */
  async #spelling(absolute: string): Promise<string | undefined> {
    let current = sharedStart(path.resolve(this.#cwd), absolute);
    for (const segment of absolute.slice(current.length).split(path.sep)) {
      if (segment === '') continue;
      const entries = await this.#list(current);
      if (entries === undefined || entries.includes(segment)) {
        current = path.join(current, segment);
        continue;
      }
      const match = entries.find((entry) => entry.toLowerCase() === segment.toLowerCase());
      if (match === undefined) return undefined;
      current = path.join(current, match);
    }
    return current;
  }

  #relative(absolute: string): string {
    return path.relative(this.#cwd, absolute).split(path.sep).join('/');
  }

  async #suggest(absolute: string): Promise<{ suggestion?: string }> {
    const dir = path.dirname(absolute);
    const entries = await this.#list(dir);
    if (entries === undefined) return {};
    const pick = closest(path.basename(absolute), entries);
    if (pick === undefined) return {};
    return { suggestion: this.#relative(path.join(dir, pick)) };
  }

}

/** The longest leading run of whole segments `absolute` shares (case-sensitively) with `cwd`, at least its root. */
function sharedStart(cwd: string, absolute: string): string {
  const ours = cwd.split(path.sep);
  const theirs = absolute.split(path.sep);
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  const prefix = theirs.slice(0, i).join(path.sep);
  const { root } = path.parse(absolute);
  return prefix.length < root.length ? root : prefix;
}

/** The README GitHub would show for a directory with these entries: markdown ones first. */
export function pickReadme(entries: readonly string[]): string | undefined {
  const readmes = entries.filter((entry) => readmePattern.test(entry));
  return readmes.find(isMarkdownPath) ?? readmes[0];
}
