/**
 * `--fix` for the rules whose fix is about the file itself: `missing-anchor` (only when exactly one
 * anchor is certainly meant) and `toc-mismatch` (the contents regenerated in place).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchFragment } from '../src/resolve/anchors.js';
import { runCli, tempTree } from './helpers/cli.js';

describe('which anchor a missing fragment certainly means', () => {
  const ids = new Set(['getting-started', 'installation', 'usage-guide', 'note', 'nodes', 'faq', 'faq-1', 'api']);

  it('is the only anchor equal but for case, punctuation and the user-content- prefix', () => {
    expect(matchFragment(ids, 'Getting_Started!')).toEqual({ kind: 'missing', suggestion: 'getting-started', certain: 'getting-started' });
    expect(matchFragment(ids, 'user-content-Usage.Guide')).toMatchObject({ certain: 'usage-guide' });
    expect(matchFragment(ids, 'gettingstarted')).toMatchObject({ certain: 'getting-started' });
  });

  it('is the one clear closest match for a renamed or misspelt heading', () => {
    expect(matchFragment(ids, 'instalation')).toMatchObject({ certain: 'installation' });
    expect(matchFragment(ids, 'usage-guides')).toMatchObject({ certain: 'usage-guide' });
  });

  it('is none when two anchors are as close, or none is close enough', () => {
    // `note` and `nodes` are both one edit from `notes`.
    expect(matchFragment(ids, 'notes')).not.toHaveProperty('certain');
    // Punctuation aside, `faq1` is only `faq-1`, though `faq` is one edit away.
    expect(matchFragment(ids, 'faq1')).toMatchObject({ certain: 'faq-1' });
    expect(matchFragment(ids, 'contributing')).not.toHaveProperty('certain');
  });
});

describe('--fix missing-anchor', () => {
  it('rewrites only the fragments one anchor certainly means, here and in other files, and leaves the rest reported', async () => {
    const guide = '# Guide\n\n## Usage guide\n\nText.\n';
    const readme = [
      '# Project',
      '',
      '## Getting started',
      '',
      '## Installation',
      '',
      '## Note',
      '',
      '## Nodes',
      '',
      'See [start](#Getting_Started!), [install](#instalation "Install"), [guide](guide.md#usage_guide),',
      '[notes](#notes), [fine](#installation) and <a href="#instalation">the HTML link</a>.',
      '',
    ].join('\n');
    const tree = await tempTree({ 'README.md': readme, 'guide.md': guide });
    try {
      const dry = await runCli(tree.dir, ['--no-config', '--offline', '--fix=missing-anchor', '--fix-dry-run', 'README.md']);
      expect(dry.stdout).toContain('+See [start](#getting-started), [install](#installation "Install"), [guide](guide.md#usage-guide),');
      expect(await readFile(path.join(tree.dir, 'README.md'), 'utf8')).toBe(readme);

      const fixed = await runCli(tree.dir, ['--no-config', '--offline', '--fix=missing-anchor', '-f', 'json', 'README.md']);
      const after = await readFile(path.join(tree.dir, 'README.md'), 'utf8');
      expect(after).toBe(
        readme
          .replace('#Getting_Started!', '#getting-started')
          .replace('#instalation "Install"', '#installation "Install"')
          .replace('guide.md#usage_guide', 'guide.md#usage-guide')
          .replace('href="#instalation"', 'href="#installation"'),
      );
      expect(fixed.stderr).toContain('waymark: fixed 4 problems in 1 file');
      // `#notes` could be `#note` or `#nodes`: still reported, with no fix.
      const left = (JSON.parse(fixed.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
      expect(left.map((finding) => `${finding.ruleId} ${finding.message}`)).toEqual(['missing-anchor Cannot find heading `#notes`']);
      expect(fixed.code).toBe(1);

      const again = await runCli(tree.dir, ['--no-config', '--offline', '--fix=missing-anchor', 'README.md']);
      expect(again.stderr).toContain('waymark: nothing to fix');
      expect(await readFile(path.join(tree.dir, 'README.md'), 'utf8')).toBe(after);
    } finally {
      await tree.cleanup();
    }
  });
});

describe('--fix toc-mismatch', () => {
  it('regenerates the contents in place, keeping marker and indentation, and then has nothing left to fix', async () => {
    const readme = [
      '# Road map',
      '',
      '* [Basics](#basics)',
      '    * [Old name](#old-name)',
      '* [Projects](#projects)',
      '',
      '## Basics',
      '',
      '### Linear algebra',
      '',
      '## Projects',
      '',
      '## Keep learning',
      '',
    ].join('\n');
    const tree = await tempTree({ 'README.md': readme });
    try {
      const fixed = await runCli(tree.dir, ['--no-config', '--offline', '--fix=toc-mismatch', 'README.md']);
      expect(fixed.code).toBe(0);
      const after = await readFile(path.join(tree.dir, 'README.md'), 'utf8');
      expect(after).toBe(
        readme.replace(
          '* [Basics](#basics)\n    * [Old name](#old-name)\n* [Projects](#projects)\n',
          '* [Basics](#basics)\n    * [Linear algebra](#linear-algebra)\n* [Projects](#projects)\n* [Keep learning](#keep-learning)\n',
        ),
      );
      const again = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'README.md']);
      expect(again.stderr).toContain('waymark: nothing to fix');
      expect(again.code).toBe(0);
    } finally {
      await tree.cleanup();
    }
  });
});
