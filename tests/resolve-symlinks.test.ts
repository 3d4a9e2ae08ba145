import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { nodeFileSystem } from '../src/io/fs.js';
import { LocalResolver } from '../src/resolve/local.js';

let scratch: string;
let repo: string;
beforeAll(() => {
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'waymark-symlinks-')));
  repo = path.join(scratch, 'repo');
  const outside = path.join(scratch, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'id_rsa'), 'secret\n');
  writeFileSync(path.join(outside, 'notes.md'), '# Installation secrets\n');
  mkdirSync(path.join(repo, 'docs'), { recursive: true });
  mkdirSync(path.join(repo, 'shown'), { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: repo });
  writeFileSync(path.join(repo, 'docs', 'guide.md'), '# Guide\n');
  symlinkSync('../outside/', path.join(repo, 'leak'));
  symlinkSync('../outside/notes.md', path.join(repo, 'notes.md'));
  symlinkSync('docs', path.join(repo, 'inner'));
  symlinkSync('../../outside/notes.md', path.join(repo, 'shown', 'README.md'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const outsideMessage = (file: string): string => `Cannot find file \`${file}\` inside the repository: a symlink leads outside it`;

describe('symlinks that lead out of the repository', () => {
  it('make the target missing-file "outside", and no hint names anything outside', async () => {
    writeFileSync(
      path.join(repo, 'README.md'),
      [
        '# Readme',
        '[a](leak/id_rs)',
        '[b](leak/id_rsa)',
        '[c](leak/notes.md#instal)',
        '[d](notes.md#installation-secret)',
        '[e](lea)',
        '[f](inner/guide.md#guide)',
        '[g](shown/#installation-secret)',
        '',
      ].join('\n\n'),
    );
    const report = await check({ cwd: repo, paths: ['README.md'], config: { ...defaultConfig, offline: true } });
    const lines = report.findings.map((f) => `${f.range.start.line} ${f.ruleId} ${f.message}${f.hint === undefined ? '' : ` | ${f.hint}`}`);
    expect(lines).toEqual([
      `3 missing-file ${outsideMessage('leak/id_rs')}`,
      `5 missing-file ${outsideMessage('leak/id_rsa')}`,
      `7 missing-file ${outsideMessage('leak/notes.md')}`,
      `9 missing-file ${outsideMessage('notes.md')}`,
      '11 missing-file Cannot find file `lea`',
      expect.stringMatching(/^15 unverifiable /),
    ]);
    // Before real paths, these hinted `leak/id_rsa`, `#installation-secrets` and `leak`.
    expect(report.findings.filter((f) => f.hint !== undefined)).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/installation-secrets|outside\//);
  });

  it('resolve real paths in the resolver, inside the root and out of it', async () => {
    const resolver = new LocalResolver(nodeFileSystem, repo);
    expect(await resolver.status('leak/id_rsa', repo)).toEqual({ kind: 'outside' });
    expect(await resolver.status('leak', repo)).toEqual({ kind: 'outside' });
    expect(await resolver.status('leak/nothing/deeper.md', repo)).toEqual({ kind: 'outside' });
    expect(await resolver.status('inner/guide.md', repo)).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('inner/gide.md', repo)).toEqual({ kind: 'missing', suggestion: 'inner/guide.md' });
    expect(await resolver.status('shown', repo)).toEqual({ kind: 'directory' });
    // Without a root the resolver only reads the disk, as before.
    expect(await resolver.status('leak/id_rsa')).toEqual({ kind: 'file', isMarkdown: false });
    // The same path under a root that holds the link's target is inside.
    expect(await resolver.status('leak/id_rsa', scratch)).toEqual({ kind: 'file', isMarkdown: false });
  });
});
