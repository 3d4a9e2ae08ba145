import { execFile } from 'node:child_process';
import path from 'node:path';
import type { FileSystem } from './fs.js';

/** What git says about the repository a run is in. */
export interface GitInfo {
  /** Absolute path of the work tree's top directory. */
  readonly root: string;
  /** `owner/name` from the `origin` remote when it is on GitHub. */
  readonly slug?: string;
  /** The default branch from `origin/HEAD`, else the checked-out branch. */
  readonly branch?: string;
  /**
   * Every branch and tag name git knows locally: local branches, remote-tracking branches (without
   * the remote's name) and tags. Nothing is asked of the remote.
   */
  readonly refs?: readonly string[];
}

/** How one git command runs. */
interface GitOptions {
  /** Keep the output exactly as git wrote it (for `-z` lists) instead of trimming it. */
  readonly raw?: boolean;
  /** Milliseconds before the command is killed (default 5000). */
  readonly timeout?: number;
}

/** Runs git (no shell) with a short timeout; `undefined` when git is missing or fails. */
function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string | undefined> {
  return new Promise((resolve) => {
    const settings = { cwd, timeout: options.timeout ?? 5000, windowsHide: true, maxBuffer: 256 * 1024 * 1024 };
    execFile('git', [...args], settings, (error, stdout) => {
      resolve(error === null ? (options.raw === true ? stdout : stdout.trim()) : undefined);
    });
  });
}

/** Hosts whose remotes name a GitHub repository. */
const githubHosts = new Set(['github.com', 'www.github.com']);

/**
 * Parses `owner/name` from a GitHub remote URL: `https://github.com/o/n(.git)`, `ssh://git@github.com/o/n`,
 * scp-like `git@github.com:o/n.git`, with or without a trailing slash. Other hosts give `undefined`.
 */
export function parseGitHubRemote(remote: string): string | undefined {
  const trimmed = remote.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?\/(.*)$/i.exec(trimmed);
  const scp = url === null ? /^(?:[^@/:]+@)?([^/:]+):(?!\/)(.*)$/.exec(trimmed) : null;
  const [, host = '', repoPath = ''] = url ?? scp ?? [];
  if (!githubHosts.has(host.toLowerCase())) return undefined;
  const match = /^\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(repoPath);
  return match === null ? undefined : `${match[1]}/${match[2]}`;
}

/**
 * Finds the repository around `cwd`: the nearest ancestor holding `.git` is the root; the remote
 * and branch come from git itself. Outside a repository the root is `cwd`.
 */
export async function detectGit(cwd: string, fs: FileSystem): Promise<GitInfo> {
  let dir = path.resolve(cwd);
  for (;;) {
    if ((await fs.kind(path.join(dir, '.git'))) !== undefined) break;
    const parent = path.dirname(dir);
    if (parent === dir) return { root: path.resolve(cwd) };
    dir = parent;
  }
  const [remote, originHead, head, refList] = await Promise.all([
    git(dir, ['remote', 'get-url', 'origin']),
    git(dir, ['symbolic-ref', 'refs/remotes/origin/HEAD']),
    git(dir, ['symbolic-ref', 'HEAD']),
    git(dir, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes', 'refs/tags']),
  ]);
  const slug = remote === undefined ? undefined : parseGitHubRemote(remote);
  // Full ref names, not `--short`, which turns ambiguous names into `remotes/origin/…` or `heads/…`.
  const branch = stripPrefix(originHead, 'refs/remotes/origin/') ?? stripPrefix(head, 'refs/heads/');
  const refs = refList === undefined ? undefined : refNames(refList);
  return {
    root: dir,
    ...(slug === undefined ? {} : { slug }),
    ...(branch === undefined ? {} : { branch }),
    ...(refs === undefined || refs.length === 0 ? {} : { refs }),
  };
}

/**
 * Short branch and tag names from `git for-each-ref` output, sorted and each once:
 * `refs/heads/x` and `refs/tags/x` give `x`, `refs/remotes/<remote>/x` gives `x` (its `HEAD` is skipped).
 */
export function refNames(output: string): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const ref = line.trim();
    const short =
      stripPrefix(ref, 'refs/heads/') ??
      stripPrefix(ref, 'refs/tags/') ??
      stripPrefix(ref, 'refs/remotes/')?.split('/').slice(1).join('/');
    if (short !== undefined && short !== '' && short !== 'HEAD') names.add(short);
  }
  return [...names].sort();
}

function stripPrefix(ref: string | undefined, prefix: string): string | undefined {
  return ref?.startsWith(prefix) && ref.length > prefix.length ? ref.slice(prefix.length) : undefined;
}

/**
 * A run of lines in the new version of a file that a diff hunk added or replaced (1-based). A
 * pure deletion has `count` 0 and `start` the line after which lines were removed (0: the top).
 */
export interface LineSpan {
  readonly start: number;
  readonly count: number;
}

/**
 * How one path differs from the base. Paths are relative to the working directory, `/`-separated.
 * `lines` is absent when every line counts as changed (the lines were not asked for, or the
 * comparison is not line by line).
 */
export type FileChange =
  | { readonly kind: 'added'; readonly path: string }
  | { readonly kind: 'modified'; readonly path: string; readonly lines?: readonly LineSpan[] }
  | { readonly kind: 'renamed'; readonly from: string; readonly path: string; readonly lines?: readonly LineSpan[] }
  | { readonly kind: 'deleted'; readonly path: string };

/** What `--changed-since <ref>` could compare the working tree with. */
export type ChangeBase =
  /** The merge base of the ref and `HEAD`: the branch's own changes, line by line. */
  | { readonly kind: 'merge-base'; readonly commit: string; readonly shallow: boolean }
  /** No merge base (a shallow clone, unrelated histories): the ref's commit itself, whole files. */
  | { readonly kind: 'ref'; readonly commit: string; readonly shallow: boolean }
  /** The ref names no commit here, or git could not diff: nothing to compare with. */
  | { readonly kind: 'none'; readonly reason: 'unknown-ref' | 'diff-failed'; readonly shallow: boolean }
  /** The working directory is in no git work tree (or git is missing). */
  | { readonly kind: 'no-repository' };

/** The paths that differ from the base, and what the base was. */
export interface ChangeSet {
  readonly base: ChangeBase;
  readonly changes: readonly FileChange[];
}

/** Settings for every diff: exact names (no octal quoting), paths from the top, no external tools. */
const diffConfig = ['-c', 'core.quotePath=false', '-c', 'diff.relative=false', '--literal-pathspecs'];

/** Diffs over whole trees may take a while on a big repository. */
const diffTimeout = 60_000;

/** Per-file line diffs run this many at a time. */
const lineDiffConcurrency = 8;

/**
 * What changed between the merge base of `ref` and `HEAD` and the working tree: committed,
 * staged and unstaged changes to tracked files, renames followed (`-M`), plus untracked files
 * that `.gitignore` does not exclude (as added). For modified and renamed paths that
 * `wantLines` accepts, the changed lines come from `git diff -U0`.
 *
 * Without a merge base the working tree is compared with the ref's commit and no lines are
 * read; when the ref is unknown, or the diff fails, there are no changes and `base` says why.
 */
export async function readChanges(cwd: string, ref: string, wantLines: (file: string) => boolean): Promise<ChangeSet> {
  const where = await git(cwd, ['rev-parse', '--show-toplevel', '--show-prefix'], { raw: true });
  const [top = '', prefix = ''] = where?.split('\n') ?? [];
  if (where === undefined || top === '') return { base: { kind: 'no-repository' }, changes: [] };
  const shallow = (await git(top, ['rev-parse', '--is-shallow-repository'])) === 'true';
  // A leading `-` would be read as an option; no branch or tag name can start with one.
  const commit = ref.startsWith('-') ? undefined : await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (commit === undefined || commit === '') return { base: { kind: 'none', reason: 'unknown-ref', shallow }, changes: [] };
  const mergeBase = await git(top, ['merge-base', commit, 'HEAD']);
  const base: ChangeBase =
    mergeBase === undefined || mergeBase === ''
      ? { kind: 'ref', commit, shallow }
      : { kind: 'merge-base', commit: mergeBase, shallow };
  const [status, untracked] = await Promise.all([
    git(top, [...diffConfig, 'diff', '--name-status', '-z', '-M', '--no-ext-diff', base.commit, '--'], {
      raw: true,
      timeout: diffTimeout,
    }),
    git(top, ['ls-files', '-z', '--others', '--exclude-standard'], { raw: true, timeout: diffTimeout }),
  ]);
  if (status === undefined) return { base: { kind: 'none', reason: 'diff-failed', shallow }, changes: [] };
  const fromTop = (file: string): string => path.posix.relative(`/${prefix}`, `/${file}`);
  const listed = parseNameStatus(status);
  const seen = new Set(listed.map((change) => change.path));
  const fresh = splitNul(untracked ?? '').filter((file) => !seen.has(file));
  const changes = [...listed, ...fresh.map((file): FileChange => ({ kind: 'added', path: file }))].map((change) => relocate(change, fromTop));
  if (base.kind !== 'merge-base') return { base, changes };
  return { base, changes: await withLines(top, base.commit, changes, listed, wantLines) };
}

/** A change with its paths relative to the working directory instead of the top. */
function relocate(change: FileChange, fromTop: (file: string) => string): FileChange {
  return change.kind === 'renamed'
    ? { ...change, from: fromTop(change.from), path: fromTop(change.path) }
    : { ...change, path: fromTop(change.path) };
}

/**
 * Adds the changed lines to the modified and renamed paths `wantLines` accepts, a few diffs at a
 * time; `topPaths` holds the same changes with the paths git knows them by (from the top).
 */
async function withLines(
  top: string,
  base: string,
  changes: readonly FileChange[],
  topPaths: readonly FileChange[],
  wantLines: (file: string) => boolean,
): Promise<FileChange[]> {
  const result = [...changes];
  const todo = result.flatMap((change, i) =>
    (change.kind === 'modified' || change.kind === 'renamed') && wantLines(change.path) ? [i] : [],
  );
  const worker = async (): Promise<void> => {
    for (let i = todo.shift(); i !== undefined; i = todo.shift()) {
      const change = result[i];
      const original = topPaths[i];
      if (change === undefined || original === undefined || (change.kind !== 'modified' && change.kind !== 'renamed')) continue;
      // Both names of a renamed file, so git pairs them and shows the edits, not a whole new file.
      const paths = original.kind === 'renamed' ? [original.from, original.path] : [original.path];
      const patch = await git(top, [...diffConfig, 'diff', '-U0', '-M', '--no-color', '--no-ext-diff', '--no-textconv', base, '--', ...paths], {
        raw: true,
        timeout: diffTimeout,
      });
      // A diff that fails leaves the file counted as changed throughout.
      if (patch !== undefined) result[i] = { ...change, lines: parseHunks(patch) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(lineDiffConcurrency, todo.length) }, worker));
  return result;
}

/** The NUL-separated names of `-z` output, without the empty one after the last NUL. */
function splitNul(output: string): string[] {
  return output.split('\0').filter((name) => name !== '');
}

/**
 * Parses `git diff --name-status -z` output: a status, then one path (two for renames and
 * copies), each NUL-terminated, names exact. Copies and type changes count as added files.
 */
export function parseNameStatus(output: string): FileChange[] {
  const fields = output.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i] ?? '';
    if (status === '') break;
    const letter = status[0];
    if (letter === 'R' || letter === 'C') {
      const from = fields[i + 1] ?? '';
      const to = fields[i + 2] ?? '';
      changes.push(letter === 'R' ? { kind: 'renamed', from, path: to } : { kind: 'added', path: to });
      i += 3;
      continue;
    }
    const file = fields[i + 1] ?? '';
    if (letter === 'A' || letter === 'T') changes.push({ kind: 'added', path: file });
    else if (letter === 'D') changes.push({ kind: 'deleted', path: file });
    else changes.push({ kind: 'modified', path: file });
    i += 2;
  }
  return changes.filter((change) => change.path !== '');
}

/** The new-side spans of the hunks in a `git diff -U0` patch (`@@ -a,b +c,d @@`; a missing count is 1). */
export function parseHunks(patch: string): LineSpan[] {
  const spans: LineSpan[] = [];
  for (const line of patch.split('\n')) {
    // Content lines start with `+`, `-`, ` ` or `\`, so only a hunk header starts with `@@ -`.
    const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (match !== null) spans.push({ start: Number(match[1]), count: match[2] === undefined ? 1 : Number(match[2]) });
  }
  return spans;
}
