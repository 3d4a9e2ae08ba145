import { describe, expect, it } from 'vitest';
import { flagNames, helpText } from '../src/cli/args.js';
import { rotFlagNames } from '../src/cli/rot.js';
import { rules } from '../src/rules/index.js';
import { tool } from '../src/tool.js';
import { runCli, tempTree } from './helpers/cli.js';

describe('--help', () => {
  it('names every flag, every rule with its level, the config file, an example and the docs', () => {
    for (const flag of [...flagNames, ...rotFlagNames]) expect(helpText).toContain(`${flag} `);
    for (const rule of rules) expect(helpText).toMatch(new RegExp(`\\n  ${rule.id} +${rule.isOptIn === true ? 'off' : rule.severity} +${rule.description}\\n`));
    expect(helpText).toContain('waymark.config.json');
    expect(helpText).toMatch(/\nExamples:\n  waymark /);
    expect(helpText).toContain(`Documentation: ${tool.homepage ?? ''}\n`);
    expect(tool.homepage).toMatch(/^https:\/\//);
  });

  it('fits a 100-column terminal', () => {
    for (const line of helpText.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('--list-files and --verbose', () => {
  const files = {
    'README.md': '# Top\n',
    'docs/a.md': '[x](missing.md)\n',
    'docs/b.markdown': 'text\n',
    'vendor/c.md': 'text\n',
    'notes.txt': 'not markdown\n',
  };

  it('--list-files prints the collected files, one per line, honouring excludes, and checks nothing', async () => {
    const tree = await tempTree(files);
    try {
      const listed = await runCli(tree.dir, ['--no-config', '--list-files', '--exclude', 'vendor/**']);
      expect(listed).toEqual({ code: 0, stdout: 'README.md\ndocs/a.md\ndocs/b.markdown\n', stderr: '' });
      const named = await runCli(tree.dir, ['--no-config', '--list-files', 'docs']);
      expect(named.stdout).toBe('docs/a.md\ndocs/b.markdown\n');
      const missing = await runCli(tree.dir, ['--no-config', '--list-files', 'nope']);
      expect(missing).toMatchObject({ code: 2, stdout: '' });
      expect(missing.stderr).toBe('waymark: nope: Cannot find file or directory\n');
    } finally {
      await tree.cleanup();
    }
  });

  it('--verbose says how many files it checks before the report', async () => {
    const tree = await tempTree(files);
    try {
      const result = await runCli(tree.dir, ['--no-config', '--offline', '--verbose', 'docs']);
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')[0]).toBe('waymark: checking 2 files');
    } finally {
      await tree.cleanup();
    }
  });
});
