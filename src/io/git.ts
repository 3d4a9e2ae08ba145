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
}

/** Runs git with a short timeout; `undefined` when git is missing or fails. */
function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => {
      resolve(error === null ? stdout.trim() : undefined);
    });
  });
}

/** Parses `owner/name` from a GitHub remote URL (https, ssh or scp-like form). */
export function parseGitHubRemote(remote: string): string | undefined {
  const match = /github\.com[:/]+([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(remote.trim());
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
  const [remote, originHead, head] = await Promise.all([
    git(dir, ['remote', 'get-url', 'origin']),
    git(dir, ['symbolic-ref', '--short', 'refs/remotes/origin/HEAD']),
    git(dir, ['symbolic-ref', '--short', 'HEAD']),
  ]);
  const slug = remote === undefined ? undefined : parseGitHubRemote(remote);
  const branch = originHead?.replace(/^origin\//, '') || head || undefined;
  return { root: dir, ...(slug === undefined ? {} : { slug }), ...(branch === undefined ? {} : { branch }) };
}
