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

/** Runs git with a short timeout; `undefined` when git is missing or fails. */
function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => {
      resolve(error === null ? stdout.trim() : undefined);
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
