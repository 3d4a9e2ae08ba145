import { readdir, type Dirent } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { InputError } from '../errors.js';
import type { FileSystem } from '../io/fs.js';
import type { Notice } from '../types.js';

/** Extensions collected when a directory is named. */
export const markdownExtensions = ['md', 'markdown'] as const;

/** What to collect: paths, directories or globs relative to `cwd`. */
export interface CollectOptions {
  readonly cwd: string;
  /** Files, directories or globs; empty means `.`. */
  readonly paths: readonly string[];
  /** Globs (relative to `cwd`) never collected. */
  readonly exclude: readonly string[];
  readonly fs: FileSystem;
  /** Told about each file found but not collected (a name that is not UTF-8, a symlink leaving the tree). */
  readonly onSkip?: (notice: Notice) => void;
}

const alwaysIgnored = ['**/.git/**', '**/node_modules/**'];

/** Turns a path into the `/`-separated form used in reports. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Finds the markdown files to check: named files as they are, directories searched for markdown,
 * globs expanded; `.git`, `node_modules` and what `.gitignore` files ignore are skipped.
 *
 * A path that exists is taken literally even when it looks like a glob. Returns paths relative to
 * `cwd` with `/` separators, sorted. Throws an `InputError` for a named path that does not exist.
 */
export async function collectFiles(options: CollectOptions): Promise<string[]> {
  const { cwd, fs } = options;
  const named = options.paths.length === 0 ? ['.'] : options.paths;
  const found = new Set<string>();
  const searched: string[] = [];
  for (const entry of named) {
    const kind = await fs.kind(path.resolve(cwd, entry));
    if (kind === undefined) {
      const pattern = toPosix(entry);
      if (!fg.isDynamicPattern(pattern)) {
        // The shell hands over a name that is not UTF-8 with U+FFFD in place of its bytes.
        const why = entry.includes('\uFFFD') ? ' (its name is not valid UTF-8, which Waymark cannot open)' : '';
        throw new InputError(entry, `Cannot find file or directory${why}`);
      }
      searched.push(pattern);
    } else if (kind === 'file') {
      found.add(relativeTo(cwd, entry));
    } else {
      const dir = relativeTo(cwd, entry);
      const prefix = dir === '' ? '' : `${fg.escapePath(dir)}/`;
      searched.push(`${prefix}**/*.{${markdownExtensions.join(',')}}`);
    }
  }
  if (searched.length > 0) {
    const unnamed: string[] = [];
    const entries = await fg(searched, {
      cwd,
      ignore: [...alwaysIgnored],
      dot: true,
      onlyFiles: false,
      objectMode: true,
      followSymbolicLinks: false,
      fs: { readdir: utf8Readdir(unnamed) as typeof readdir },
    });
    for (const name of unnamed) {
      options.onSkip?.({
        kind: 'invalid-name',
        file: relativeTo(cwd, name),
        message: 'Unexpected file name that is not valid UTF-8 (shown with \\x escapes); skipped',
      });
    }
    const top = (await workTreeTop(fs, cwd)) ?? cwd;
    const matches: string[] = [];
    const links: Array<{ readonly path: string; readonly real: string }> = [];
    for (const entry of entries) {
      if (entry.dirent.isFile()) matches.push(entry.path);
      else if (entry.dirent.isSymbolicLink()) {
        const real = await linkedFileInside(fs, path.resolve(cwd, entry.path), top, cwd, options.onSkip);
        if (real !== undefined) links.push({ path: entry.path, real });
      }
    }
    // A link to a file that is checked anyway adds nothing but the same findings twice.
    if (links.length > 0) {
      const real = async (match: string): Promise<string> => {
        const absolute = path.resolve(cwd, match);
        return (await fs.realpath?.(absolute)) ?? absolute;
      };
      const direct = new Set(await Promise.all(matches.map(real)));
      for (const link of links) if (!direct.has(link.real)) matches.push(link.path);
    }
    // fast-glob keeps a pattern's `./` or `..` segments in what it returns; normalise them.
    const files = [...new Set(matches.map((match) => relativeTo(cwd, match)))];
    const isGitignored = await loadGitignore(fs, cwd, files);
    for (const file of files) if (!isGitignored(file)) found.add(file);
  }
  const excluded = options.exclude.length === 0 ? undefined : ignore().add([...options.exclude]);
  return [...found]
    .filter((file) => excluded === undefined || !isIgnoredBy(excluded, file))
    .sort();
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A name's bytes as text, each byte that breaks UTF-8 shown as `\\xNN`. */
function escapeName(bytes: Buffer): string {
  let text = '';
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      text += `${strictUtf8.decode(bytes.subarray(start, i))}\\x${(bytes[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
      start = i;
    } else {
      i += length;
    }
  }
  return text + strictUtf8.decode(bytes.subarray(start));
}

/** The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Buffer, i: number): number {
  for (const length of [1, 2, 3, 4]) {
    if (i + length > bytes.length) return 0;
    try {
      strictUtf8.decode(bytes.subarray(i, i + length));
      return length;
    } catch {
      // Not a whole character yet: try one byte more.
    }
  }
  return 0;
}

/**
 * fast-glob's `readdir`, reading names as bytes: a name that is not valid UTF-8 would come back
 * with U+FFFD in place of its bytes, a path that cannot be opened, so it is left out of the
 * walk and its escaped path recorded in `unnamed` instead.
 */
function utf8Readdir(unnamed: string[]) {
  return (dir: string, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries?: unknown) => void): void => {
    const withTypes = typeof options === 'object' && options !== null && 'withFileTypes' in options && options.withFileTypes === true;
    if (!withTypes) {
      readdir(dir, options as never, callback as never);
      return;
    }
    readdir(dir, { withFileTypes: true, encoding: 'buffer' }, (error, entries) => {
      if (error !== null) {
        callback(error);
        return;
      }
      const kept: Dirent[] = [];
      for (const entry of entries) {
        const raw = entry.name as unknown as Buffer;
        try {
          (entry as unknown as { name: string }).name = strictUtf8.decode(raw);
          kept.push(entry as unknown as Dirent);
        } catch {
          unnamed.push(path.join(dir, escapeName(raw)));
        }
      }
      callback(null, kept);
    });
  };
}

/**
 * The real path of the regular file a symbolic link found by a search leads to, when that file
 * is inside `top` (the work tree, or `cwd` outside one): then it is checked like the file. A
 * link that is broken or leaves the tree is reported through `onSkip`; one to a directory is not
 * a markdown file at all.
 */
async function linkedFileInside(
  fs: FileSystem,
  link: string,
  top: string,
  cwd: string,
  onSkip: ((notice: Notice) => void) | undefined,
): Promise<string | undefined> {
  const kind = await fs.kind(link);
  const file = relativeTo(cwd, link);
  if (kind === 'directory') return undefined;
  if (kind === undefined) {
    onSkip?.({ kind: 'symlink', file, message: 'Unexpected broken symbolic link; skipped' });
    return undefined;
  }
  const real = (await fs.realpath?.(link)) ?? link;
  const realTop = (await fs.realpath?.(top)) ?? top;
  const inside = path.relative(realTop, real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    onSkip?.({ kind: 'symlink', file, message: 'Unexpected symbolic link to a file outside the repository; skipped' });
    return undefined;
  }
  return real;
}

/** `file` (relative to `cwd` or absolute) as a normalised `/`-separated path relative to `cwd`. */
function relativeTo(cwd: string, file: string): string {
  return toPosix(path.relative(cwd, path.resolve(cwd, file)));
}

function isIgnoredBy(rules: Ignore, file: string): boolean {
  return !file.startsWith('../') && rules.ignores(file);
}

/** One `.gitignore`: its directory relative to the top of the work tree (`''` for the top) and its rules. */
interface IgnoreFile {
  readonly dir: string;
  readonly rules: Ignore;
}

/**
 * Reads every `.gitignore` that can apply to `files` (relative to `cwd`) and returns a predicate
 * telling whether git would ignore a file: those in `cwd`'s ancestors up to the work tree's top
 * (the nearest directory holding `.git`), in `cwd` and in directories on the way to each file.
 * As in git, a deeper file's rules override a shallower one's and a file in an ignored directory
 * cannot be re-included. When `cwd` itself is ignored, the ancestors' files are not read.
 */
async function loadGitignore(fs: FileSystem, cwd: string, files: readonly string[]): Promise<(file: string) => boolean> {
  let top = (await workTreeTop(fs, cwd)) ?? cwd;
  let base = toPosix(path.relative(top, cwd));
  let ignoreFiles = await readIgnoreFiles(fs, top, base, files);
  if (base !== '' && isIgnoredDir(ignoreFiles, base)) {
    top = cwd;
    base = '';
    ignoreFiles = await readIgnoreFiles(fs, top, base, files);
  }
  if (ignoreFiles.length === 0) return () => false;
  return (file) => {
    if (file.startsWith('../')) return false;
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (isIgnoredDir(ignoreFiles, join(base, parts.slice(0, i).join('/')))) return true;
    }
    return isIgnored(ignoreFiles, join(base, file));
  };
}

/**
 * Reads the `.gitignore` files for `files` (relative to `cwd`), shallowest first. `base` is `cwd`
 * relative to `top`; the files' directories are recorded relative to `top`.
 */
async function readIgnoreFiles(fs: FileSystem, top: string, base: string, files: readonly string[]): Promise<IgnoreFile[]> {
  const dirs = new Set<string>();
  const baseParts = base === '' ? [] : base.split('/');
  for (let i = 0; i <= baseParts.length; i++) dirs.add(baseParts.slice(0, i).join('/'));
  for (const file of files) {
    if (file.startsWith('../')) continue;
    const parts = file.split('/').slice(0, -1);
    // A directory is always added after its parent, so the set stays shallowest first.
    for (let i = 1; i <= parts.length; i++) dirs.add(join(base, parts.slice(0, i).join('/')));
  }
  const loaded: IgnoreFile[] = [];
  for (const dir of dirs) {
    const text = await readText(fs, path.join(top, dir, '.gitignore'));
    if (text !== undefined) loaded.push({ dir, rules: ignore().add(text) });
  }
  return loaded;
}

/** Whether the directory at `dir` (relative to the top) is ignored by the files above it. */
function isIgnoredDir(ignoreFiles: readonly IgnoreFile[], dir: string): boolean {
  return isIgnored(ignoreFiles, `${dir}/`);
}

/** Whether `file` (relative to the top) is ignored: the deepest `.gitignore` with a verdict decides. */
function isIgnored(ignoreFiles: readonly IgnoreFile[], file: string): boolean {
  let ignored = false;
  for (const { dir, rules } of ignoreFiles) {
    if (dir !== '' && !(file.startsWith(`${dir}/`) && file.length > dir.length + 1)) continue;
    const result = rules.test(dir === '' ? file : file.slice(dir.length + 1));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function join(base: string, relative: string): string {
  return base === '' ? relative : `${base}/${relative}`;
}

/** The nearest directory at or above `cwd` that holds `.git`, or `undefined` outside a work tree. */
async function workTreeTop(fs: FileSystem, cwd: string): Promise<string | undefined> {
  let dir = path.resolve(cwd);
  for (;;) {
    if ((await fs.kind(path.join(dir, '.git'))) !== undefined) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function readText(fs: FileSystem, file: string): Promise<string | undefined> {
  if ((await fs.kind(file)) !== 'file') return undefined;
  try {
    return new TextDecoder().decode(await fs.readFile(file));
  } catch {
    return undefined;
  }
}
