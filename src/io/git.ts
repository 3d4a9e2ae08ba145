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

/** Paths per `git diff -U0` (well inside any command-line length limit), and diffs run at once. */
const lineDiffBatch = 200;
const lineDiffConcurrency = 4;

/**
 * Patch settings that keep the output parseable whatever the user's config says: no colour, no
 * external diff or text conversion, the standard `a/` and `b/` prefixes.
 */
const patchOptions = ['--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'];

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
  const added = fresh.map((file): FileChange => ({ kind: 'added', path: file }));
  const changes = [...listed, ...added].map((change) => relocate(change, fromTop));
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
 * Adds the changed lines to the modified and renamed paths `wantLines` accepts: one `git diff -U0`
 * per batch of paths, a few batches at a time. `topPaths` holds the same changes with the paths
 * git knows them by (from the top).
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
  const batches: number[][] = [];
  for (let i = 0; i < todo.length; i += lineDiffBatch) batches.push(todo.slice(i, i + lineDiffBatch));
  const worker = async (): Promise<void> => {
    for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
      const originals = batch.map((i) => topPaths[i]);
      // Both names of a renamed file, so git pairs them and shows the edits, not a whole new file.
      const paths = originals.flatMap((change) =>
        change === undefined ? [] : change.kind === 'renamed' ? [change.from, change.path] : [change.path],
      );
      const patch = await git(top, [...diffConfig, 'diff', '-U0', '-M', ...patchOptions, base, '--', ...paths], {
        raw: true,
        timeout: diffTimeout,
      });
      // A diff that fails leaves its files counted as changed throughout.
      if (patch === undefined) continue;
      const spans = parsePatch(patch);
      batch.forEach((i, k) => {
        const change = result[i];
        const original = originals[k];
        if (change === undefined || original === undefined || (change.kind !== 'modified' && change.kind !== 'renamed')) return;
        // A file the patch has no hunks for (a pure rename, a mode change) has no changed lines.
        result[i] = { ...change, lines: spans.get(original.path) ?? [] };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(lineDiffConcurrency, batches.length) }, worker));
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

/**
 * The new-side spans of the hunks in a `git diff -U0` patch, by the new path of each file (from
 * the `+++ b/<path>` line: C-quoted when the name has a quote, backslash or control character,
 * followed by a tab when it has a space). A hunk header is `@@ -a,b +c,d @@`, a missing count
 * meaning 1. Files without hunks (a pure rename, a mode change) are absent.
 */
export function parsePatch(patch: string): Map<string, LineSpan[]> {
  const spans = new Map<string, LineSpan[]>();
  let file: string | undefined;
  let inHeader = false;
  for (const line of patch.split('\n')) {
    // Content lines start with `+`, `-`, ` ` or `\`, so these two can only be headers.
    if (line.startsWith('diff --git ')) {
      inHeader = true;
      file = undefined;
      continue;
    }
    if (inHeader && line.startsWith('+++ ')) {
      file = newPath(line.slice('+++ '.length));
      continue;
    }
    const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (match === null) continue;
    inHeader = false;
    if (file === undefined) continue;
    const list = spans.get(file) ?? [];
    list.push({ start: Number(match[1]), count: match[2] === undefined ? 1 : Number(match[2]) });
    spans.set(file, list);
  }
  return spans;
}

/** The path of a `+++` line without its `b/` prefix; `undefined` for `/dev/null`. */
function newPath(field: string): string | undefined {
  const name = field.startsWith('"') ? unquoteC(field) : field.replace(/\t$/, '');
  return name.startsWith('b/') ? name.slice(2) : undefined;
}

const cEscapes: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style quoting of a name: `"a\tb\303\251"` → `a<TAB>bé` (octal escapes are UTF-8 bytes). */
export function unquoteC(quoted: string): string {
  const body = Buffer.from(quoted.replace(/^"/, '').replace(/"$/, ''), 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] ?? 0;
    if (byte !== 0x5c || i + 1 >= body.length) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    const octal = /^[0-7]{3}$/.exec(body.subarray(i + 1, i + 4).toString('latin1'));
    if (octal !== null) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(cEscapes[next] ?? body[i + 1] ?? 0);
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
