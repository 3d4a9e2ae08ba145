import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';

describe('--quiet', () => {
  it('prints the findings of every file, and nothing else', async () => {
    const tree = await tempTree({
      'a.md': '[x](missing-a.md)\n',
      'docs/b.md': '[y](missing-b.md) [z](#nope)\n',
      'docs/c.md': '[w](gone.md)\n',
    });
    try {
      const result = await runCli(tree.dir, ['--offline', '--no-config', '--quiet', '.']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const lines = result.stdout.split('\n').filter((line) => line !== '');
      expect(lines.map((line) => { const words = line.split(/\s+/); return `${words[0]} ${words[1]} ${words[2]}`; })).toEqual([
        'a.md:1:1 error missing-file',
        'docs/b.md:1:1 error missing-file',
        'docs/b.md:1:19 error missing-anchor',
        'docs/c.md:1:1 error missing-file',
      ]);
      expect(result.stdout).not.toMatch(/✖|problems? in/);
    } finally {
      await tree.cleanup();
    }
  });

  it('prints nothing at all when there is nothing to report', async () => {
    const tree = await tempTree({ 'a.md': '# A\n\n[top](#a)\n' });
    try {
      const result = await runCli(tree.dir, ['--offline', '--no-config', '-q', '.']);
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    } finally {
      await tree.cleanup();
    }
  });
});

describe('text on a terminal', () => {
  it('wraps findings to the terminal width, and keeps one line per finding when piped', async () => {
    const tree = await tempTree({ 'a.md': `[x](${'very-long-directory-name/'.repeat(3)}and-a-missing-file-name.md)\n` });
    try {
      const tty = { isTTY: true, columns: 60 };
      const wrapped = await runCli(tree.dir, ['--offline', '--no-config', '-q', '.'], { NO_COLOR: '1' }, tty);
      const lines = wrapped.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('a.md:1:1  error  missing-file  Cannot find file');
      expect(lines.slice(1).every((line) => line.startsWith('    '))).toBe(true);
      const piped = await runCli(tree.dir, ['--offline', '--no-config', '-q', '.']);
      expect(piped.stdout.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      await tree.cleanup();
    }
  });
});
