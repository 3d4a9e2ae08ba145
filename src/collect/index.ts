import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { InputError } from '../errors.js';
import type { FileSystem } from '../io/fs.js';

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
      if (!fg.isDynamicPattern(pattern)) throw new InputError(entry, 'Cannot find file or directory');
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
    const matches = await fg(searched, {
      cwd,
      ignore: [...alwaysIgnored],
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
    });
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
