/**
 * PR mode (`--changed-since <ref>`) against real git repositories in temporary directories: each
 * test builds a `main` branch, branches off it and changes some files, then checks.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/types.js';
import type { Report } from '../src/types.js';
import { runCli } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

const exec = promisify(execFile);

/** Git as the tests run it: no system or global config, so the machine's settings cannot leak in. */
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(tmpdir(), 'waymark-no-such-gitconfig') };

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, env: gitEnv });
  return stdout.trim();
}

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

let scratch: string;
beforeAll(async () => {
  scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'waymark-changed-')));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A repository whose `main` holds `files` in one commit, checked out on a new branch `feature`. */
async function repoWith(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(scratch, name);
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Waymark Test');
  await git(dir, 'config', 'user.email', 'test@example.test');
  await git(dir, 'config', 'commit.gpgsign', 'false');
  await write(dir, files);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'Main');
  await git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

/** Writes `files` and commits them (and any other change) on the current branch. */
async function commit(dir: string, files: Record<string, string>, message = 'Change'): Promise<void> {
  await write(dir, files);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
}

const offline: Config = { ...defaultConfig, offline: true };

function findings(report: Report): string[] {
  return report.findings.map((f) => `${f.file}:${f.range.start.line} ${f.ruleId}`);
}

describe('--changed-since on a branch', () => {
  it("reports a changed file's new broken link, not an unchanged file's, and flags a link to a renamed heading", async () => {
    const dir = await repoWith('basic', {
      'guide.md': '# Guide\n\n## Install steps\n\nText.\n',
      'index.md': '# Index\n\n[install](guide.md#install-steps)\n',
      'other.md': '# Other\n\n[old breakage](nowhere.md)\n',
    });
    await commit(dir, { 'guide.md': '# Guide\n\n## Installing\n\nText and [a new one](missing.md).\n' });
    const report = await check({ cwd: dir, config: offline, changedSince: 'main' });
    expect(findings(report)).toEqual(['guide.md:5 missing-file', 'index.md:3 missing-anchor']);
    expect(report.summary.files).toBe(2);
    expect(report.changedSince).toMatchObject({ ref: 'main', base: 'merge-base', shallow: false, changed: 1 });

    // The same tree checked in full finds the old breakage too.
    expect(findings(await check({ cwd: dir, config: offline }))).toContain('other.md:3 missing-file');
  });

  it('selects a file that links to the old path of a renamed file, and the renamed file itself', async () => {
    const dir = await repoWith('renamed', {
      'setup.md': '# Setup\n\nSome text that stays the same, long enough for git to pair the rename.\nMore lines.\nAnd more.\n',
      'index.md': '# Index\n\n[setup](setup.md)\n',
      'unrelated.md': '# Unrelated\n\n[x](gone.md)\n',
    });
    await git(dir, 'mv', 'setup.md', 'install.md');
    await commit(dir, {}, 'Rename');
    const report = await check({ cwd: dir, config: offline, changedSince: 'main' });
    expect(findings(report)).toEqual(['index.md:3 missing-file']);
    expect(report.summary.files).toBe(2);
  });

  it('selects a file that links to a deleted one', async () => {
    const dir = await repoWith('deleted', {
      'a.md': '# A\n\n![logo](logo.png)\n',
      'b.md': '# B\n',
      'logo.png': 'not really a picture',
    });
    await git(dir, 'rm', '-q', 'logo.png');
    await commit(dir, {}, 'Delete');
    const report = await check({ cwd: dir, config: offline, changedSince: 'main' });
    expect(findings(report)).toEqual(['a.md:3 missing-file']);
  });

  it('handles names with spaces and non-ASCII characters, from a subdirectory too', async () => {
    const dir = await repoWith('names', {
      'docs/my notes.md': '# My notes\n\n## Old part\n',
      'docs/café.md': '# Café\n',
      'docs/links.md': '# Links\n\n[part](my%20notes.md#old-part)\n',
      'docs/still.md': '# Still\n\n[broken](missing.md)\n',
    });
    await commit(dir, {
      'docs/my notes.md': '# My notes\n\n## New part\n',
      'docs/café.md': '# Café\n\n[broken](nope.md)\n',
    });
    const expected = ['docs/café.md:3 missing-file', 'docs/links.md:3 missing-anchor'];
    expect(findings(await check({ cwd: dir, config: offline, changedSince: 'main' }))).toEqual(expected);
    const inDocs = await check({ cwd: path.join(dir, 'docs'), config: offline, changedSince: 'main' });
    expect(findings(inDocs)).toEqual(['café.md:3 missing-file', 'links.md:3 missing-anchor']);
  });

  it('counts uncommitted edits and untracked files, and leaves ignored ones out', async () => {
    const dir = await repoWith('working-tree', {
      '.gitignore': 'scratch.md\n',
      'a.md': '# A\n',
      'b.md': '# B\n',
    });
    await write(dir, {
      'a.md': '# A\n\n[edited, not committed](missing-a.md)\n',
      'new.md': '# New\n\n[untracked](missing-new.md)\n',
      'scratch.md': '# Scratch\n\n[ignored](missing-scratch.md)\n',
    });
    const report = await check({ cwd: dir, paths: ['a.md', 'b.md', 'new.md'], config: offline, changedSince: 'main' });
    expect(findings(report)).toEqual(['a.md:3 missing-file', 'new.md:3 missing-file']);
  });

  it('checks nothing when nothing changed', async () => {
    const dir = await repoWith('unchanged', { 'a.md': '# A\n\n[broken](missing.md)\n' });
    const report = await check({ cwd: dir, config: offline, changedSince: 'main' });
    expect(report.findings).toEqual([]);
    expect(report.summary.files).toBe(0);
  });
});

describe('external URLs in PR mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('fetches only the URLs on added or changed lines and counts the others as unchanged', async () => {
    const dir = await repoWith('external', {
      'a.md': `# A\n\n[old](${server.url('/ok?old')})\n\n[edited](${server.url('/ok?before')})\n`,
      'b.md': `# B\n\n[a](a.md) and [far](${server.url('/ok?linker')})\n`,
      'docs/my notes é.md': `# Notes\n\n[old](${server.url('/ok?spaced-old')})\n`,
    });
    await commit(dir, {
      'docs/my notes é.md': `# Notes\n\n[old](${server.url('/ok?spaced-old')})\n\n[new](${server.url('/ok?spaced-new')})\n`,
      'a.md': `# A\n\n[old](${server.url('/ok?old')})\n\n[edited](${server.url('/ok?after')})\n\n[added](${server.url('/status/404')})\n`,
    });
    const before = server.log.length;
    const result = await runCli(dir, ['--changed-since', 'main', '--allow-private', '--retries', '0', '-f', 'json']);
    const requested = server.log.slice(before).map((record) => record.path);
    expect(requested).toContain('/ok?after');
    expect(requested).toContain('/status/404');
    expect(requested).toContain('/ok?spaced-new');
    const unchangedPaths = new Set(['/ok?old', '/ok?before', '/ok?linker', '/ok?spaced-old']);
    expect(requested.filter((p) => unchangedPaths.has(p))).toEqual([]);
    const json = JSON.parse(result.stdout) as { summary: Record<string, number>; findings: { file: string; line: number; ruleId: string }[] };
    expect(json.summary).toMatchObject({ files: 3, uniqueUrls: 6, checked: 3, unchanged: 3 });
    expect(json.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['a.md:7 dead-link']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');

    const text = await runCli(dir, ['--changed-since', 'main', '--allow-private', '--retries', '0']);
    expect(text.stdout).toContain('✖ 1 error in 3 files (7 links, 6 unique URLs, 3 unchanged URLs not checked)');
  });

  it('checks a URL on a changed line that an unchanged line also links once, and reports it at the changed line', async () => {
    const dir = await repoWith('external-shared', { 'a.md': `# A\n\n[one](${server.url('/status/410')})\n` });
    await commit(dir, { 'a.md': `# A\n\n[one](${server.url('/status/410')})\n\n[two](${server.url('/status/410')})\n` });
    const report = await check({ cwd: dir, config: { ...defaultConfig, allowPrivate: true, retries: 0 }, changedSince: 'main' });
    expect(findings(report)).toEqual(['a.md:5 dead-link']);
    expect(report.summary).toMatchObject({ uniqueUrls: 1, checked: 1, unchanged: 0 });
  });
});

describe('without a merge base', () => {
  it('explains fetch-depth in one line and checks the changed files of a shallow clone in full', async () => {
    const origin = await repoWith('shallow-origin', {
      'a.md': '# A\n\n[old breakage](missing-a.md)\n',
      'b.md': '# B\n\n[old breakage](missing-b.md)\n',
      'c.md': '# C\n',
    });
    await commit(origin, { 'a.md': '# A\n\n[old breakage](missing-a.md)\n\nMore.\n' }, 'Feature');
    await git(origin, 'checkout', '-q', 'main');
    await commit(origin, { 'c.md': '# C\n\nMain moved on.\n' }, 'Main again');
    await git(origin, 'checkout', '-q', 'feature');
    const clone = path.join(scratch, 'shallow-clone');
    await git(scratch, 'clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'feature', `file://${origin}`, clone);
    expect(await git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');

    const result = await runCli(clone, ['--changed-since', 'origin/main', '--offline', '-f', 'json']);
    expect(result.stderr).toBe(
      'waymark: --changed-since origin/main: no merge base with HEAD (shallow clone? use fetch-depth: 0 in actions/checkout); ' +
        'checking the changed files in full\n',
    );
    const json = JSON.parse(result.stdout) as { findings: { file: string; line: number }[] };
    // a.md changed on the branch and c.md on main: both differ from origin/main; b.md does not.
    expect(json.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['a.md:3']);
    const report = await check({ cwd: clone, config: offline, changedSince: 'origin/main' });
    expect(report.changedSince).toMatchObject({ base: 'ref', shallow: true, changed: 2 });
    expect(report.summary.files).toBe(2);
  });

  it('checks every file when the ref is unknown, saying so in one line', async () => {
    const dir = await repoWith('unknown-ref', { 'a.md': '# A\n\n[x](missing.md)\n' });
    const result = await runCli(dir, ['--changed-since', 'origin/nope', '--offline']);
    expect(result.stderr).toBe(
      'waymark: --changed-since origin/nope: unknown revision (no such branch, tag or commit here); checking every file\n',
    );
    expect(result.stdout).toContain('a.md:3:1');
    expect(result.code).toBe(1);
    const quiet = await runCli(dir, ['--changed-since', 'origin/nope', '--offline', '-q']);
    expect(quiet.stderr).toBe('');
  });

  it('stops with exit code 2 outside a git repository', async () => {
    const dir = path.join(scratch, 'no-repo');
    await write(dir, { 'a.md': '# A\n' });
    const result = await runCli(dir, ['--changed-since', 'main', '--offline']);
    // The scratch directory may itself sit inside some repository; only a run outside one fails.
    const inside = await git(dir, 'rev-parse', '--is-inside-work-tree').catch(() => 'false');
    if (inside === 'true') return;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('waymark: --changed-since: not inside a git repository, so there is nothing to compare with\n');
  });
});

describe('--changed-since on the command line', () => {
  it.each([
    [['--changed-since=-x'], 'waymark: --changed-since: expected a git ref such as origin/main, got `-x`\n'],
    [['--changed-since', 'main', '--list-files'], 'waymark: --changed-since: cannot be combined with --list-files\n'],
  ])('refuses %j', async (argv, stderr) => {
    const result = await runCli(scratch, argv);
    expect(result).toMatchObject({ code: 2, stderr });
  });
});
