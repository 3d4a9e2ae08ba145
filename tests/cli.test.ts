import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText } from '../src/cli/args.js';
import { ExitCode, tool } from '../src/cli/run.js';
import type { JsonReport } from '../src/report/index.js';
import { runCli, tempTree } from './helpers/cli.js';

const clean = {
  'README.md': '# Project\n\n## Usage\n\nSee [usage](#usage), [the guide](docs/guide.md#setup) and [the site](https://example.test/page).\n',
  'docs/guide.md': '# Guide\n\n## Setup\n',
};

describe('cli: exit codes and streams', () => {
  let tree: Awaited<ReturnType<typeof tempTree>>;
  beforeAll(async () => {
    tree = await tempTree({
      ...clean,
      'broken/README.md': '# Broken\n\n[gone](missing.md) and [nowhere](#nowhere)\n',
      'binary/file.md': new Uint8Array([0x23, 0x20, 0x41, 0x0a, 0x42, 0x00, 0x43]),
      'latin1/file.md': new Uint8Array([0x23, 0x20, 0x41, 0x0a, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'badconfig/waymark.config.json': '{ "rules": { "tracking-param": "warning" } }\n',
      'badconfig/README.md': '# Fine\n',
      'typo/waymark.config.json': '{ "exlude": ["x"] }\n',
      'typo/README.md': '# Fine\n',
    });
  });
  afterAll(() => tree.cleanup());

  it('exits 0 with no findings and says external links were not checked', async () => {
    const result = await runCli(tree.dir, ['README.md', 'docs']);
    expect(result.code).toBe(ExitCode.Ok);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('✔ No problems in 2 files (3 links, 1 unique URL)');
    expect(result.stdout).toContain('1 URL could not be verified because the network is unreachable');
    expect(result.stdout).not.toMatch(/dead|broken/i);
  });

  it('exits 1 when a finding is an error and prints file:line:col lines', async () => {
    const result = await runCli(tree.dir, ['broken']);
    expect(result.code).toBe(ExitCode.Findings);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('broken/README.md:3:1   error  missing-file    Cannot find file `broken/missing.md`');
    expect(lines[1]).toBe('broken/README.md:3:24  error  missing-anchor  Cannot find heading `#nowhere`');
  });

  it('exits 2 with one line for a path that does not exist', async () => {
    const result = await runCli(tree.dir, ['nope']);
    expect(result).toEqual({ code: ExitCode.Fatal, stdout: '', stderr: 'waymark: nope: Cannot find file or directory\n' });
  });

  it('exits 2 for a bad flag value, naming the flag and the expected form', async () => {
    const result = await runCli(tree.dir, ['--format', 'yaml']);
    expect(result.code).toBe(ExitCode.Fatal);
    expect(result.stderr).toBe('waymark: --format: expected one of text, json, github, markdown, sarif, junit, codequality, html, got `yaml`\n');
  });

  it('exits 2 for an unknown flag with a suggestion', async () => {
    const result = await runCli(tree.dir, ['--ofline']);
    expect(result.code).toBe(ExitCode.Fatal);
    expect(result.stderr).toBe('waymark: --ofline: unknown option; did you mean `--offline`?\n');
  });

  it('exits 2 for a bad config value with its key path', async () => {
    const result = await runCli(path.join(tree.dir, 'badconfig'), []);
    expect(result.code).toBe(ExitCode.Fatal);
    expect(result.stderr).toBe(
      'waymark: waymark.config.json: rules.tracking-param: expected "off" | "warn" | "error", got "warning"\n',
    );
  });

  it('exits 2 for an unknown config key with a suggestion', async () => {
    const result = await runCli(path.join(tree.dir, 'typo'), []);
    expect(result.code).toBe(ExitCode.Fatal);
    expect(result.stderr).toBe('waymark: waymark.config.json: exlude: unknown option; did you mean `exclude`?\n');
  });

  it('--no-config ignores a broken config file', async () => {
    const result = await runCli(path.join(tree.dir, 'badconfig'), ['--no-config']);
    expect(result.code).toBe(ExitCode.Ok);
  });

  it('warns about binary and invalid UTF-8 files with their position and keeps going', async () => {
    const result = await runCli(tree.dir, ['binary', 'latin1', 'README.md']);
    expect(result.code).toBe(ExitCode.Ok);
    expect(result.stderr.split('\n')).toEqual([
      'waymark: binary/file.md:2:2: warning: Unexpected NUL byte: binary file skipped',
      'waymark: latin1/file.md:3:4: warning: Unexpected invalid UTF-8: file skipped',
      '',
    ]);
    expect(result.stdout).toContain('in 1 file');
  });

  it('skips a file nested too deeply to parse quickly, with its position, and never hangs', async () => {
    const deep = await tempTree({
      'deep.md': `${'>'.repeat(3000)} [x](#nope)\n`,
      'lists.md': Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item [l](#a)`).join('\n'),
      'fine.md': `${'>'.repeat(90)} [x](#nope)\n`,
    });
    try {
      const result = await runCli(deep.dir, ['--offline']);
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')).toEqual([
        'waymark: deep.md:1:3002: warning: Unexpected nesting deeper than 100 levels; file skipped',
        'waymark: lists.md:202:403: warning: Unexpected nesting deeper than 100 levels; file skipped',
        '',
      ]);
      expect(result.stdout.split('\n')[0]).toBe('fine.md:1:92  error  missing-anchor  Cannot find heading `#nope`');
    } finally {
      await deep.cleanup();
    }
  });

  it('--help prints the usage text and --version the version', async () => {
    expect(await runCli(tree.dir, ['--help'])).toEqual({ code: 0, stdout: helpText, stderr: '' });
    expect(await runCli(tree.dir, ['-V'])).toEqual({ code: 0, stdout: `${tool.version}\n`, stderr: '' });
  });

  it('--format json prints exactly one JSON document and notes on stderr', async () => {
    const result = await runCli(tree.dir, ['--format', 'json', 'broken']);
    expect(result.code).toBe(ExitCode.Findings);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.version).toBe(1);
    expect(report.tool).toEqual({ name: 'waymark', version: tool.version });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.url])).toEqual([
      ['missing-file', 'broken/README.md', 3, 1, 'missing.md'],
      ['missing-anchor', 'broken/README.md', 3, 24, '#nowhere'],
    ]);
    expect(report.summary).toMatchObject({ files: 1, links: 2, errors: 2, warnings: 0, offline: 0 });
  });

  it('--output writes another format to a file', async () => {
    const result = await runCli(tree.dir, ['--output', 'sarif:out.sarif', 'broken']);
    expect(result.code).toBe(ExitCode.Findings);
    const sarif = JSON.parse(await readFile(path.join(tree.dir, 'out.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]?.results).toHaveLength(2);
  });

  it('colours only when asked: FORCE_COLOR on, NO_COLOR off', async () => {
    const forced = await runCli(tree.dir, ['broken'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[');
    const plain = await runCli(tree.dir, ['broken'], { NO_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('takes the repository root of a file outside the working directory from its own .git', async () => {
    const outside = await tempTree({
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/README.md': '# Repo\n',
      'repo/docs/a.md': '# A\n\n[up](../README.md) and [too far](../../elsewhere.md)\n',
      'cwd/placeholder.txt': '',
    });
    try {
      const result = await runCli(path.join(outside.dir, 'cwd'), ['--offline', '../repo/docs/a.md']);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')[0]).toBe(
        '../repo/docs/a.md:3:24  error  missing-file  Unexpected link above the repository root: `../../elsewhere.md`',
      );
      expect(result.stdout).toContain('✖ 1 error in 1 file');
    } finally {
      await outside.cleanup();
    }
  });

  it('--root (or config root, relative to the config file) sets where `/` links start and how high links may climb', async () => {
    const rooted = await tempTree({
      'site/docs/guide.md': '# Guide\n\n[spec](/spec/api.md#calls) and [outside](../../notes.md)\n',
      'site/spec/api.md': '# API\n\n## Calls\n',
      'notes.md': '# Notes\n',
      'configured/waymark.config.json': '{ "root": "../site" }\n',
    });
    try {
      const flagged = await runCli(rooted.dir, ['--offline', '--no-config', '--root', 'site', 'site/docs']);
      expect(flagged.code).toBe(1);
      expect(flagged.stdout.split('\n')[0]).toBe(
        'site/docs/guide.md:3:32  error  missing-file  Unexpected link above the repository root: `../../notes.md`',
      );
      expect(flagged.stdout).toContain('✖ 1 error in 1 file');
      const unrooted = await runCli(rooted.dir, ['--offline', '--no-config', 'site/docs']);
      expect(unrooted.stdout.split('\n')[0]).toBe(
        'site/docs/guide.md:3:1  error  missing-file  Cannot find file `spec/api.md`',
      );
      const configured = await runCli(path.join(rooted.dir, 'configured'), ['--offline', '../site/docs']);
      expect(configured.stdout.split('\n')[0]).toBe(
        '../site/docs/guide.md:3:32  error  missing-file  Unexpected link above the repository root: `../../notes.md`',
      );
    } finally {
      await rooted.cleanup();
    }
  });

  it('accepts a leading `check` or `run` word, unless a file has that name', async () => {
    const verbs = await tempTree({ 'README.md': '# Title\n\n[gone](gone.md)\n', 'run/README.md': '# Run\n' });
    try {
      const checked = await runCli(verbs.dir, ['check', '--offline', 'README.md']);
      expect(checked.code).toBe(1);
      expect(checked.stdout).toContain('README.md:3:1  error  missing-file  Cannot find file `gone.md`');
      const ran = await runCli(verbs.dir, ['run', '--offline']);
      expect(ran.stdout).toContain('in 1 file');
      expect(ran.stdout).not.toContain('README.md:3:1');
    } finally {
      await verbs.cleanup();
    }
  });

  it('--quiet prints findings only', async () => {
    const result = await runCli(tree.dir, ['--quiet', 'broken']);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(result.stdout).not.toContain('✖');
  });
});

describe('cli: the built binary', () => {
  const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
  let tree: Awaited<ReturnType<typeof tempTree>>;
  beforeAll(async () => {
    tree = await tempTree({
      'README.md': '# Title\n\n[gone](gone.md)\n',
      'clean/README.md': '# Clean\n\n## Part\n\n[part](#part)\n',
      'binary/notes.md': new Uint8Array([0x61, 0x00]),
    });
  });
  afterAll(() => tree.cleanup());

  function spawn(argv: readonly string[], cwd = tree.dir): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...argv], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
      });
    });
  }

  it('exits 1 and prints exactly one JSON document for a broken link', async () => {
    const result = await spawn(['--format', 'json', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings).toEqual([
      {
        ruleId: 'missing-file',
        severity: 'error',
        file: 'README.md',
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 16,
        url: 'gone.md',
        message: 'Cannot find file `gone.md`',
      },
    ]);
  });

  it('exits 0 on a clean tree with the summary on stdout', async () => {
    const result = await spawn(['clean']);
    expect(result).toEqual({ code: 0, stdout: '✔ No problems in 1 file (1 link, 0 unique URLs)\n', stderr: '' });
  });

  it('exits 2 with one line and no stack trace for a missing path and a bad flag', async () => {
    expect(await spawn(['nowhere'])).toEqual({ code: 2, stdout: '', stderr: 'waymark: nowhere: Cannot find file or directory\n' });
    const bad = await spawn(['--concurrency', 'many']);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'waymark: --concurrency: expected a positive integer, got `many`\n' });
  });

  it('warns about a binary file on stderr and still exits 0', async () => {
    const result = await spawn(['binary', 'clean']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('waymark: binary/notes.md:1:2: warning: Unexpected NUL byte: binary file skipped\n');
  });
});
