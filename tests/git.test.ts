import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileSystem, nodeFileSystem } from '../src/io/fs.js';
import { detectGit, parseGitHubRemote } from '../src/io/git.js';

const run = promisify(execFile);

/** Runs git in `cwd` with a fixed identity, so commits work whatever the machine's config. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Waymark Test', '-c', 'user.email=test@example.test', ...args], { cwd });
  return stdout.trim();
}

describe('parseGitHubRemote', () => {
  it.each([
    ['https://github.com/acme/widgets.git', 'acme/widgets'],
    ['https://github.com/acme/widgets', 'acme/widgets'],
    ['https://github.com/acme/widgets/', 'acme/widgets'],
    ['https://github.com/acme/widgets.git/', 'acme/widgets'],
    ['https://user:token@github.com/acme/widgets.git', 'acme/widgets'],
    ['https://www.github.com/acme/widgets', 'acme/widgets'],
    ['https://GitHub.com/Acme/Widgets', 'Acme/Widgets'],
    ['http://github.com:443/acme/widgets', 'acme/widgets'],
    ['git@github.com:acme/widgets.git', 'acme/widgets'],
    ['git@github.com:acme/widgets', 'acme/widgets'],
    ['github.com:acme/widgets.git', 'acme/widgets'],
    ['ssh://git@github.com/acme/widgets', 'acme/widgets'],
    ['ssh://git@github.com/acme/widgets.git/', 'acme/widgets'],
    ['git+ssh://git@github.com/acme/widgets.git', 'acme/widgets'],
    ['git://github.com/acme/widgets.git', 'acme/widgets'],
    ['  git@github.com:acme/widgets.js.git\n', 'acme/widgets.js'],
    ['https://github.com/acme/.github.git', 'acme/.github'],
  ])('reads %j as %j', (remote, slug) => {
    expect(parseGitHubRemote(remote)).toBe(slug);
  });

  it.each([
    'https://gitlab.com/acme/widgets.git',
    'git@gitlab.com:acme/widgets.git',
    'https://notgithub.com/acme/widgets',
    'https://github.com.evil.test/acme/widgets',
    'https://gitlab.com/github.com/acme/widgets',
    'git@example.test:github.com/acme/widgets',
    'https://github.com/acme',
    'https://github.com/acme/widgets/tree/main',
    '/srv/git/github.com/acme/widgets.git',
    '../widgets.git',
    '',
  ])('gives nothing for %j', (remote) => {
    expect(parseGitHubRemote(remote)).toBeUndefined();
  });
});

describe('detectGit in a real repository', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'waymark-git-')));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  /** A new repository on branch `trunk` with a GitHub `origin` (never fetched) and a `docs/deep` directory. */
  async function makeRepo(name: string, commit = false): Promise<string> {
    const repo = path.join(scratch, name);
    await mkdir(path.join(repo, 'docs', 'deep'), { recursive: true });
    await git(repo, 'init', '-q', '-b', 'trunk');
    await git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
    if (commit) await git(repo, 'commit', '-q', '--allow-empty', '-m', 'First');
    return repo;
  }

  it('finds the root, the GitHub slug and the current branch, before any commit', async () => {
    const repo = await makeRepo('unborn');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({ root: repo, slug: 'acme/widgets', branch: 'trunk' });
  });

  it('finds the same from a subdirectory', async () => {
    const repo = await makeRepo('subdirectory');
    expect(await detectGit(path.join(repo, 'docs', 'deep'), nodeFileSystem)).toEqual({ root: repo, slug: 'acme/widgets', branch: 'trunk' });
  });

  it('prefers the default branch that origin/HEAD names', async () => {
    const repo = await makeRepo('origin-head', true);
    await git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    await git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({ root: repo, slug: 'acme/widgets', branch: 'main', refs: ['main', 'trunk'] });
  });

  it('reads origin/HEAD right when a local branch shares its short name', async () => {
    const repo = await makeRepo('ambiguous-origin', true);
    await git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    await git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    // `git symbolic-ref --short` answers `remotes/origin/main` once `origin/main` is also a local branch.
    await git(repo, 'branch', 'origin/main');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({
      root: repo,
      slug: 'acme/widgets',
      branch: 'main',
      refs: ['main', 'origin/main', 'trunk'],
    });
  });

  it('reads the current branch right when a tag shares its name', async () => {
    const repo = await makeRepo('ambiguous-head', true);
    // `git symbolic-ref --short HEAD` answers `heads/trunk` once a tag is named `trunk`.
    await git(repo, 'tag', 'trunk');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({ root: repo, slug: 'acme/widgets', branch: 'trunk', refs: ['trunk'] });
  });

  it('has no branch on a detached HEAD without origin/HEAD', async () => {
    const repo = await makeRepo('detached', true);
    await git(repo, 'checkout', '-q', '--detach');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({ root: repo, slug: 'acme/widgets', refs: ['trunk'] });
  });

  it('treats a linked work tree, whose `.git` is a file, as its own root', async () => {
    const repo = await makeRepo('with-worktree', true);
    const worktree = path.join(scratch, 'feature-tree');
    await git(repo, 'worktree', 'add', '-q', '-b', 'feature', worktree);
    await mkdir(path.join(worktree, 'docs'), { recursive: true });
    expect(await detectGit(path.join(worktree, 'docs'), nodeFileSystem)).toEqual({
      root: worktree,
      slug: 'acme/widgets',
      branch: 'feature',
      refs: ['feature', 'trunk'],
    });
  });

  it('has no slug when origin is not on GitHub', async () => {
    const repo = await makeRepo('gitlab');
    await git(repo, 'remote', 'set-url', 'origin', 'https://gitlab.example.test/acme/widgets.git');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({ root: repo, branch: 'trunk' });
  });

  it('has no slug without an origin remote', async () => {
    const repo = await makeRepo('no-origin');
    await git(repo, 'remote', 'rename', 'origin', 'upstream');
    expect(await detectGit(repo, nodeFileSystem)).toEqual({ root: repo, branch: 'trunk' });
  });
});

describe('detectGit outside a repository', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'waymark-nogit-')));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('gives cwd as the root and nothing else', async () => {
    const dir = path.join(scratch, 'plain', 'docs');
    await mkdir(dir, { recursive: true });
    expect(await detectGit(dir, nodeFileSystem)).toEqual({ root: dir });
  });

  it('takes the nearest `.git` from the injected file system as the root, even when git disowns it', async () => {
    const dir = path.join(scratch, 'fake', 'docs');
    await mkdir(dir, { recursive: true });
    const seen: string[] = [];
    const fs: FileSystem = {
      ...nodeFileSystem,
      kind: (p) => {
        seen.push(p);
        return Promise.resolve(p === path.join(scratch, 'fake', '.git') ? 'directory' : undefined);
      },
    };
    expect(await detectGit(dir, fs)).toEqual({ root: path.join(scratch, 'fake') });
    expect(seen).toEqual([path.join(dir, '.git'), path.join(scratch, 'fake', '.git')]);
  });
});
