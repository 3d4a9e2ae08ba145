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
 * Returns paths relative to `cwd` with `/` separators, sorted. Throws an `InputError` for a named
 * path that does not exist.
 */
export async function collectFiles(options: CollectOptions): Promise<string[]> {
  const { cwd, fs } = options;
  const named = options.paths.length === 0 ? ['.'] : options.paths;
  const found = new Set<string>();
  const searched: string[] = [];
  for (const entry of named) {
    const pattern = toPosix(entry);
    if (fg.isDynamicPattern(pattern)) {
      searched.push(pattern);
      continue;
    }
    const kind = await fs.kind(path.resolve(cwd, entry));
    if (kind === undefined) throw new InputError(entry, 'Cannot find file or directory');
    if (kind === 'file') {
      found.add(toPosix(path.relative(cwd, path.resolve(cwd, entry))));
    } else {
      const dir = toPosix(path.relative(cwd, path.resolve(cwd, entry)));
      const prefix = dir === '' ? '' : `${fg.escapePath(dir)}/`;
      searched.push(`${prefix}**/*.{${markdownExtensions.join(',')}}`);
    }
  }
  if (searched.length > 0) {
    const matches = await fg(searched, {
      cwd,
      ignore: [...alwaysIgnored],
      dot: false,
      onlyFiles: true,
      followSymbolicLinks: false,
    });
    const gitignore = await loadGitignore(fs, cwd, matches);
    for (const match of matches) if (!gitignore(match)) found.add(match);
  }
  const excluded = options.exclude.length === 0 ? undefined : ignore().add([...options.exclude]);
  return [...found]
    .filter((file) => excluded === undefined || !isIgnoredBy(excluded, file))
    .sort();
}

function isIgnoredBy(rules: Ignore, file: string): boolean {
  return !file.startsWith('../') && rules.ignores(file);
}

/**
 * Reads every `.gitignore` that can apply to the matched files (the one in `cwd` and those in
 * directories on the way to each match) and returns a predicate telling whether a file is ignored.
 */
async function loadGitignore(
  fs: FileSystem,
  cwd: string,
  files: readonly string[],
): Promise<(file: string) => boolean> {
  const dirs = new Set<string>(['']);
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const rules = new Map<string, Ignore>();
  for (const dir of dirs) {
    const text = await readText(fs, path.join(cwd, dir, '.gitignore'));
    if (text !== undefined) rules.set(dir, ignore().add(text));
  }
  if (rules.size === 0) return () => false;
  return (file) => {
    for (const [dir, rule] of rules) {
      if (dir !== '' && !file.startsWith(`${dir}/`)) continue;
      const relative = dir === '' ? file : file.slice(dir.length + 1);
      if (relative.startsWith('../')) continue;
      if (rule.ignores(relative)) return true;
    }
    return false;
  };
}

async function readText(fs: FileSystem, file: string): Promise<string | undefined> {
  if ((await fs.kind(file)) !== 'file') return undefined;
  try {
    return new TextDecoder().decode(await fs.readFile(file));
  } catch {
    return undefined;
  }
}
