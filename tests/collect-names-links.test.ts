import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../src/collect/index.js';
import { nodeFileSystem } from '../src/io/fs.js';
import type { Notice } from '../src/types.js';
import { runCli, tempTree } from './helpers/cli.js';

/** Writes a file whose name holds bytes that are not UTF-8 (Node takes Buffer paths as bytes). */
async function writeRaw(dir: string, name: Buffer, content: string): Promise<void> {
  await writeFile(Buffer.concat([Buffer.from(`${dir}/`), name]), content);
}

describe('file names that are not UTF-8', () => {
  it('are skipped with a notice showing the name escaped, in files and directories, and the rest is checked', async () => {
    const tree = await tempTree({ 'ok.md': '[a](gone.md)\n' });
    try {
      await writeRaw(tree.dir, Buffer.from([0x62, 0x61, 0x64, 0xff, 0x2e, 0x6d, 0x64]), '# Bad\n');
      await mkdir(Buffer.concat([Buffer.from(`${tree.dir}/`), Buffer.from([0x64, 0xc3, 0xa9, 0xfe])]));
      await writeRaw(tree.dir, Buffer.from([0x64, 0xc3, 0xa9, 0xfe, 0x2f, 0x78, 0x2e, 0x6d, 0x64]), '# X\n');
      const notices: Notice[] = [];
      const files = await collectFiles({ cwd: tree.dir, paths: [], exclude: [], fs: nodeFileSystem, onSkip: (n) => void notices.push(n) });
      expect(files).toEqual(['ok.md']);
      expect(notices.map((notice) => [notice.kind, notice.file]).sort()).toEqual([
        ['invalid-name', 'bad\\xff.md'],
        ['invalid-name', 'dé\\xfe'],
      ]);
      const result = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('ok.md:1:1  error  missing-file');
      expect(result.stderr).toContain(
        'waymark: bad\\xff.md: warning: Unexpected file name that is not valid UTF-8 (shown with \\x escapes); skipped',
      );
      const named = await runCli(tree.dir, ['--offline', '--no-config', 'bad\uFFFD.md']);
      expect(named).toMatchObject({ code: 2, stdout: '' });
      expect(named.stderr).toBe(
        'waymark: bad\uFFFD.md: Cannot find file or directory (its name is not valid UTF-8, which Waymark cannot open)\n',
      );
    } finally {
      await tree.cleanup();
    }
  });
});

describe('symbolic links to markdown files', () => {
  it('are checked when they lead to a file inside the tree, once when that file is checked anyway, and reported otherwise', async () => {
    const outside = await tempTree({ 'secret.md': '[s](nowhere.md)\n' });
    const tree = await tempTree({ 'docs/real.md': '[r](missing.md)\n', 'notes/kept.md': '[k](absent.md)\n', '.git/HEAD': 'ref: refs/heads/main\n' });
    try {
      await symlink('real.md', path.join(tree.dir, 'docs/alias.md'));
      await symlink('../notes/kept.md', path.join(tree.dir, 'docs/kept-link.md'));
      await symlink(path.join(outside.dir, 'secret.md'), path.join(tree.dir, 'docs/leak.md'));
      await symlink('nothing.md', path.join(tree.dir, 'docs/broken.md'));
      const notices: Notice[] = [];
      const files = await collectFiles({ cwd: tree.dir, paths: ['docs'], exclude: [], fs: nodeFileSystem, onSkip: (n) => void notices.push(n) });
      // alias.md leads to docs/real.md, which is checked anyway; kept-link.md to a file outside the search.
      expect(files).toEqual(['docs/kept-link.md', 'docs/real.md']);
      expect(notices.map((notice) => `${notice.file}: ${notice.message}`).sort()).toEqual([
        'docs/broken.md: Unexpected broken symbolic link; skipped',
        'docs/leak.md: Unexpected symbolic link to a file outside the repository; skipped',
      ]);
      const result = await runCli(tree.dir, ['--offline', '--no-config', 'docs']);
      expect(result.stdout).toContain('docs/kept-link.md:1:1  error  missing-file');
      expect(result.stdout).not.toContain('nowhere.md');
      expect(result.stderr).toContain('waymark: docs/leak.md: warning: Unexpected symbolic link to a file outside the repository; skipped');
    } finally {
      await tree.cleanup();
      await outside.cleanup();
    }
  });
});
