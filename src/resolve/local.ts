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
 *
 * Given the repository root, a target whose real path (every symlink resolved) lies outside it is
 * `outside`, and no suggestion ever names a path whose real path is outside.
 */
export class LocalResolver {
  readonly #fs: FileSystem;
  readonly #cwd: string;
  readonly #status: (key: string) => Promise<FileStatus>;
  readonly #list: (dir: string) => Promise<readonly string[] | undefined>;
  readonly #realpath: (path: string) => Promise<string | undefined>;

  /** `cwd` is the absolute working directory that target paths are relative to. */
  constructor(fs: FileSystem, cwd: string) {
    this.#fs = fs;
    this.#cwd = cwd;
    this.#status = memoize((key) => {
      const [root = '', target = ''] = key.split('\0');
      return this.#resolve(target, root === '' ? undefined : root);
    });
    this.#list = memoize((dir) => this.#fs.list(dir));
    this.#realpath = memoize((where) => (this.#fs.realpath === undefined ? Promise.resolve(where) : this.#fs.realpath(where)));
  }

  /**
   * What is at a target path (relative to cwd); each path is looked up once per root. With `root`
   * (absolute), a target that only a symlink leading out of the root reaches is `outside`.
   */
  status(target: string, root?: string): Promise<FileStatus> {
    return this.#status(`${root ?? ''}\0${target}`);
  }

  async #resolve(target: string, root: string | undefined): Promise<FileStatus> {
    const absolute = path.resolve(this.#cwd, target);
    const inside = root === undefined ? () => Promise.resolve(true) : this.#insideCheck(root);
    if (!(await inside(absolute))) return { kind: 'outside' };
    const spelled = await this.#spelling(absolute);
    if (spelled === undefined) return { kind: 'missing', ...(await this.#suggest(absolute, inside)) };
    if (spelled !== absolute) return { kind: 'case-mismatch', actual: this.#relative(spelled) };
    const kind = await this.#fs.kind(absolute);
    if (kind === undefined) return { kind: 'missing', ...(await this.#suggest(absolute, inside)) };
    if (kind === 'file') return { kind: 'file', isMarkdown: isMarkdownPath(absolute) };
    const readme = pickReadme((await this.#list(absolute)) ?? []);
    if (readme === undefined || !(await inside(path.join(absolute, readme)))) return { kind: 'directory' };
    return { kind: 'directory', readme };
  }

  /**
   * A test of whether a path's real location is inside `root`'s: the deepest part of the path that
   * exists is resolved (so a missing file under a symlinked directory counts where the link leads).
   */
  #insideCheck(root: string): (absolute: string) => Promise<boolean> {
    return async (absolute) => {
      const realRoot = (await this.#realpath(path.resolve(root))) ?? path.resolve(root);
      let existing = absolute;
      let rest = '';
      for (;;) {
        const real = await this.#realpath(existing);
        if (real !== undefined) {
          const full = rest === '' ? real : path.join(real, rest);
          return full === realRoot || full.startsWith(realRoot.endsWith(path.sep) ? realRoot : `${realRoot}${path.sep}`);
        }
        const parent = path.dirname(existing);
        if (parent === existing) return true;
        rest = rest === '' ? path.basename(existing) : path.join(path.basename(existing), rest);
        existing = parent;
      }
    };
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

  async #suggest(absolute: string, inside: (absolute: string) => Promise<boolean>): Promise<{ suggestion?: string }> {
    const dir = path.dirname(absolute);
    const entries = await this.#list(dir);
    if (entries === undefined) return {};
    const pick = closest(path.basename(absolute), entries);
    if (pick === undefined || !(await inside(path.join(dir, pick)))) return {};
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
