import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { nodeFileSystem } from '../src/io/fs.js';
import { detectGit, refNames } from '../src/io/git.js';

const run = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Waymark Test', '-c', 'user.email=test@example.test', ...args], { cwd });
  return stdout.trim();
}

const base = 'https://github.com/acme/widgets';
const doc = [
  '# Doc',
  '',
  `[works](${base}/blob/master/docs/guide.md)`,
  '',
  `[gone](${base}/blob/master/docs/gone.md)`,
  '',
  `[tree](${base}/tree/master/docs)`,
  '',
  `[anchor](${base}/blob/master/docs/guide.md#nope)`,
  '',
  `[current](${base}/blob/main/docs/guide.md)`,
  '',
].join('\n');

let scratch: string;
beforeAll(async () => {
  scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'waymark-renamed-')));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A committed repository on `branch` with a GitHub origin, `docs/guide.md` and `README.md` holding `doc`. */
async function makeRepo(name: string, branch: string, text = doc): Promise<string> {
  const repo = path.join(scratch, name);
  await mkdir(path.join(repo, 'docs'), { recursive: true });
  await git(repo, 'init', '-q', '-b', branch);
  await git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/widgets.git');
  await writeFile(path.join(repo, 'docs', 'guide.md'), '# Guide\n');
  await writeFile(path.join(repo, 'README.md'), text);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'First');
  return repo;
}

/** Runs offline and lists the local verdicts. */
async function verdicts(cwd: string, config = {}): Promise<string[]> {
  const report = await check({ cwd, paths: ['README.md'], config: { ...defaultConfig, offline: true, ...config } });
  return report.findings
    .filter((f) => ['missing-file', 'missing-anchor', 'redirect'].includes(f.ruleId))
    .map((f) => `${f.range.start.line} ${f.ruleId} ${f.message}${f.hint === undefined ? '' : ` | ${f.hint}`}`);
}

const renamed = 'Unexpected link to branch `master`, which GitHub redirects to `main`';

describe('links to the former default branch', () => {
  it('are checked against the work tree, with the current branch URL as hint', async () => {
    const repo = await makeRepo('renamed', 'main');
    expect(await verdicts(repo)).toEqual([
      `3 redirect ${renamed} | use \`${base}/blob/main/docs/guide.md\``,
      '5 missing-file Cannot find file `docs/gone.md`',
      `7 redirect ${renamed} | use \`${base}/tree/main/docs\``,
      '9 missing-anchor Cannot find heading `#nope` in `docs/guide.md`',
      `9 redirect ${renamed} | use \`${base}/blob/main/docs/guide.md#nope\``,
    ]);
  });

  it('work the other way round: `main` links in a repository whose default is `master`', async () => {
    const repo = await makeRepo('reverse', 'master', `[x](${base}/blob/main/docs/gone.md) and [y](${base}/raw/main/docs/guide.md?plain=1)\n`);
    expect(await verdicts(repo)).toEqual([
      '1 missing-file Cannot find file `docs/gone.md`',
      `1 redirect Unexpected link to branch \`main\`, which GitHub redirects to \`master\` | use \`${base}/raw/master/docs/guide.md?plain=1\``,
    ]);
  });

  it.each([
    ['a local branch', ['branch', 'master']],
    ['a remote-tracking branch', ['update-ref', 'refs/remotes/origin/master', 'HEAD']],
    ['a tag', ['tag', 'master']],
  ])('are left to the network when git knows `master` as %s', async (name, command) => {
    const repo = await makeRepo(`known-${name.replaceAll(' ', '-')}`, 'main');
    await git(repo, ...command);
    expect((await detectGit(repo, nodeFileSystem)).refs).toContain('master');
    expect(await verdicts(repo)).toEqual([]);
  });

  it('apply only to the usual pair: a `develop` default leaves `master` links alone', async () => {
    const repo = await makeRepo('develop', 'develop', `[x](${base}/blob/master/docs/gone.md)\n`);
    expect(await verdicts(repo)).toEqual([]);
  });

  it('are checked by the configured branch when there is no git at all', async () => {
    const dir = path.join(scratch, 'no-git');
    await mkdir(path.join(dir, 'docs'), { recursive: true });
    await writeFile(path.join(dir, 'docs', 'guide.md'), '# Guide\n');
    await writeFile(path.join(dir, 'README.md'), `[x](${base}/blob/master/docs/gone.md)\n`);
    expect(await verdicts(dir, { repository: 'acme/widgets', defaultBranch: 'main' })).toEqual([
      '1 missing-file Cannot find file `docs/gone.md`',
    ]);
  });
});

describe('refNames', () => {
  it('shortens branch, remote-tracking and tag refs, without HEAD and each once', () => {
    const output = [
      'refs/heads/main',
      'refs/heads/feature/x',
      'refs/remotes/origin/HEAD',
      'refs/remotes/origin/main',
      'refs/remotes/upstream/release/1.0',
      'refs/tags/v1.0',
      '',
    ].join('\n');
    expect(refNames(output)).toEqual(['feature/x', 'main', 'release/1.0', 'v1.0']);
  });
});
