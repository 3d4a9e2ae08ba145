import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandLine, splitArgs } from '../src/action/main.js';
import { tempTree } from './helpers/cli.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = path.join(root, 'action/index.mjs');
type Mapping = Record<string, unknown>;
const action = parse(await readFile(path.join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; uses?: string; env?: Mapping; if?: string }> };
};

let tree: Awaited<ReturnType<typeof tempTree>>;
beforeAll(async () => {
  tree = await tempTree({
    'README.md': '# Project\n\nSee [the guide](docs/guide.md), [setup](#setup) and [tracked](https://example.com/?utm_source=x).\n',
    'docs/guide.md': '# Guide\n\n[back](../README.md#project)\n',
    'vendor/waymark/README.md': '[mine](nowhere.md)\n',
  });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: tree.dir });
});
afterAll(async () => {
  await tree.cleanup();
});

/** Runs the bundled entry as the runner runs the action's step: INPUT_* and the GITHUB_* files. */
async function runStep(inputs: Record<string, string>, extra: Record<string, string> = {}, cwd = tree.dir) {
  const runnerTemp = path.join(tree.dir, '..', `${path.basename(tree.dir)}-runner`);
  await mkdir(runnerTemp, { recursive: true });
  const summary = path.join(runnerTemp, `summary-${Math.random().toString(36).slice(2)}.md`);
  const output = path.join(runnerTemp, `output-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(summary, '');
  await writeFile(output, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_WORKSPACE: tree.dir,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTION_PATH: path.join(tree.dir, 'vendor/waymark'),
    RUNNER_TEMP: runnerTemp,
    NO_COLOR: '1',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...extra,
  };
  let code = 0;
  let stdout = '';
  let stderr = '';
  try {
    ({ stdout, stderr } = await exec(process.execPath, [bundle], { cwd, env }));
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    ({ code, stdout, stderr } = failed);
  }
  const outputs = Object.fromEntries(
    (await readFile(output, 'utf8')).trim().split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)),
  ) as Record<string, string>;
  return { code, stdout, stderr, summary: await readFile(summary, 'utf8'), outputs };
}

describe('action.yml', () => {
  it('is a composite action that runs the committed bundle, with every input passed as the runner names it', () => {
    expect(action.runs.using).toBe('composite');
    const step = action.runs.steps.find((candidate) => candidate.id === 'waymark');
    expect(step?.run).toBe('node "$GITHUB_ACTION_PATH/action/index.mjs"');
    const { GITHUB_TOKEN: tokenInput, ...inputs } = step?.env ?? {};
    expect(tokenInput).toBe('${{ inputs.github-token }}');
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
    const named = Object.keys(action.inputs).filter((name) => name !== 'github-token');
    expect(Object.keys(inputs).sort()).toEqual(named.map((name) => `INPUT_${name.toUpperCase()}`).sort());
    for (const [name, value] of Object.entries(inputs)) expect(value).toBe(`\${{ inputs.${name.slice('INPUT_'.length).toLowerCase()} }}`);
    expect(named.sort()).toEqual(['args', 'cache', 'changed-only', 'config', 'fail-on', 'mode', 'paths', 'sarif']);
    for (const [name, { value }] of Object.entries(action.outputs)) expect(value).toBe(`\${{ steps.waymark.outputs.${name} }}`);
    for (const uses of action.runs.steps.flatMap((candidate) => candidate.uses ?? [])) expect(uses).toMatch(/@[0-9a-f]{40}$/);
  });

  it('ships a bundle built from the current sources', () => {
    expect(() => execFileSync(process.execPath, ['scripts/bundle-action.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});

describe('the action entry, run as the runner runs it', () => {
  it('annotates, writes the job summary and the outputs, fails on errors, and never checks its own files', async () => {
    const result = await runStep({ args: '--offline', cache: 'false' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error file=README.md,line=3,col=33,');
    expect(result.stdout).toContain('title=missing-anchor::Cannot find heading `#setup`');
    expect(result.stdout).toContain('::warning file=README.md,');
    expect(result.stdout).not.toContain('vendor/waymark');
    expect(result.summary).toMatch(/^## waymark report\n\nFound 1 error, 1 warning in 2 files/);
    expect(result.outputs).toMatchObject({ 'exit-code': '1', errors: '1', warnings: '1' });
    const report = JSON.parse(await readFile(result.outputs['report'] ?? '', 'utf8')) as { summary: { files: number } };
    expect(report.summary.files).toBe(2);
  });

  it('follows fail-on and paths, and writes SARIF where asked', async () => {
    const never = await runStep({ args: '--offline', cache: 'false', 'fail-on': 'never' });
    expect(never.code).toBe(0);
    expect(never.outputs['exit-code']).toBe('0');
    const docsOnly = await runStep({ args: '--offline', cache: 'false', paths: 'docs', 'fail-on': 'warning', sarif: 'out.sarif' });
    expect(docsOnly.code).toBe(0);
    expect(docsOnly.outputs).toMatchObject({ errors: '0', warnings: '0' });
    const sarif = JSON.parse(await readFile(path.join(tree.dir, 'out.sarif'), 'utf8')) as { version: string };
    expect(sarif.version).toBe('2.1.0');
    const warned = await runStep({ args: "--offline --exclude 'README.md'", cache: 'false', 'fail-on': 'warning' });
    expect(warned.outputs).toMatchObject({ errors: '0', 'exit-code': '0' });
  });

  it('turns the inputs into one command line: cache on by default, the action path excluded, args before paths', async () => {
    const io = { cwd: tree.dir, stdout: process.stdout, stderr: process.stderr };
    const base = { GITHUB_ACTION_PATH: path.join(tree.dir, 'vendor/waymark') };
    const reports = path.join(tree.dir, 'reports');
    const defaults = await commandLine({ ...io, env: base }, reports);
    expect(defaults.argv).toEqual([
      '--format', 'github',
      '--output', `json:${path.join(reports, 'waymark.json')}`,
      '--output', `markdown:${path.join(reports, 'waymark.md')}`,
      '--output', `html:${path.join(reports, 'waymark.html')}`,
      '--cache', '--max-cache-age', '8d', '--exclude', 'vendor/waymark/**',
    ]);
    const all = await commandLine(
      { ...io, env: { INPUT_CACHE: 'false', INPUT_CONFIG: 'c.json', INPUT_SARIF: 's.sarif', INPUT_ARGS: '-q', INPUT_PATHS: 'docs\nREADME.md' } },
      reports,
    );
    expect(all.argv.slice(8)).toEqual(['--output', 'sarif:s.sarif', '--config', 'c.json', '-q', '--', 'docs', 'README.md']);
  });

  it('stops with one annotation and exit 2 on a bad input', async () => {
    const result = await runStep({ 'fail-on': 'sometimes' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('::error title=waymark::input fail-on: expected one of error, warning, never, got `sometimes`\n');
    expect(result.outputs).toEqual({});
    const other = await runStep({ mode: 'fix' });
    expect(other.stdout).toContain('input mode: expected `check` or `rot`, got `fix`');
  });
});

describe('the action on a pull request', () => {
  it('checks only what the pull request changed (PR mode against the base in the event payload)', async () => {
    const repo = await tempTree({
      'README.md': '# Top\n\n[old](gone-long-ago.md)\n',
      'docs/a.md': '# A\n\nText.\n',
    });
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo.dir, encoding: 'utf8' }).trim();
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      const base = git('rev-parse', 'HEAD');
      await writeFile(path.join(repo.dir, 'docs/a.md'), '# A\n\nText and [a new broken link](nowhere.md).\n');
      git('commit', '-q', '-am', 'change');
      const event = path.join(repo.dir, '..', `${path.basename(repo.dir)}-event.json`);
      await writeFile(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base } } }));
      const result = await runStep(
        { cache: 'false' },
        { GITHUB_WORKSPACE: repo.dir, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_ACTION_PATH: '/elsewhere' },
        repo.dir,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('::error file=docs/a.md,line=3,');
      // README.md's old broken link is outside the pull request's change, so it is not reported.
      expect(result.stdout).not.toContain('README.md');
      expect(result.outputs).toMatchObject({ errors: '1' });
    } finally {
      await repo.cleanup();
    }
  });
});

describe('the action in rot mode', () => {
  it('runs waymark rot: the ledger in .waymark/, one issue on the API it is given, the step kept green by fail-on: never', async () => {
    const { startFakeGitHub } = await import('./helpers/fake-github.js');
    const github = await startFakeGitHub('acme/list');
    try {
      const env = { GITHUB_TOKEN: 'ghs_action', GITHUB_REPOSITORY: 'acme/list', GITHUB_API_URL: github.url };
      const result = await runStep({ mode: 'rot', args: '--offline', cache: 'false', 'fail-on': 'never' }, env);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('waymark: rot: 0 rotten (0 new), 1 local');
      expect(result.stderr).toContain('waymark: rot: created the issue "Link rot report"');
      expect(github.issues.map((issue) => issue.title)).toEqual(['Link rot report']);
      expect(github.issues[0]?.body).toContain('Cannot find heading \\`#setup\\`');
      const ledger = JSON.parse(await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8')) as { version: number; issue: number };
      expect(ledger).toMatchObject({ version: 1, issue: 1 });
      expect(await readFile(result.outputs['html'] ?? '', 'utf8')).toContain('<h2>Link rot timeline</h2>');
    } finally {
      await github.close();
    }
  });
});

describe('splitArgs', () => {
  it('splits words as a shell would, with quotes and backslashes, expanding nothing', () => {
    expect(splitArgs(`--exclude 'vendor/**' --config "my config.json"  -q\n--root a\\ b $HOME`)).toEqual([
      '--exclude',
      'vendor/**',
      '--config',
      'my config.json',
      '-q',
      '--root',
      'a b',
      '$HOME',
    ]);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs(`''`)).toEqual(['']);
    expect(() => splitArgs(`'open`)).toThrow('unclosed');
  });
});
