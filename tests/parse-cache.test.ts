import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tool } from '../src/tool.js';
import { runCli, tempTree } from './helpers/cli.js';

const cacheFile = (dir: string): string => path.join(dir, '.waymark', 'parse-cache.json');
type CacheFile = { version: string; entries: Record<string, { links: Array<{ url: string }> }> };

describe('the parse cache', () => {
  it('is written on a run and answers for unchanged files on the next, while a changed file is parsed again', async () => {
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '[x](missing.md)\n', 'b.md': '# B\n' });
    try {
      const first = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(first.stdout).toContain('a.md:1:1  error  missing-file  Cannot find file `missing.md`');
      const cache = JSON.parse(await readFile(cacheFile(tree.dir), 'utf8')) as CacheFile;
      expect(cache.version).toBe(tool.version);
      expect(Object.keys(cache.entries)).toHaveLength(2);
      // Prove the next run reads the cache rather than the file: doctor the entry for a.md.
      for (const entry of Object.values(cache.entries)) {
        for (const link of entry.links) if (link.url === 'missing.md') link.url = 'doctored.md';
      }
      await writeFile(cacheFile(tree.dir), JSON.stringify(cache));
      const second = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(second.stdout).toContain('Cannot find file `doctored.md`');
      // --no-parse-cache parses again, and a changed file is parsed again.
      const fresh = await runCli(tree.dir, ['--offline', '--no-config', '--no-parse-cache']);
      expect(fresh.stdout).toContain('Cannot find file `missing.md`');
      await writeFile(path.join(tree.dir, 'a.md'), '[x](missing.md) [y](other.md)\n');
      const changed = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(changed.stdout).toContain('Cannot find file `missing.md`');
      expect(changed.stdout).toContain('Cannot find file `other.md`');
      // Only the entries of this run's files are kept.
      const after = JSON.parse(await readFile(cacheFile(tree.dir), 'utf8')) as CacheFile;
      expect(Object.keys(after.entries)).toHaveLength(2);
    } finally {
      await tree.cleanup();
    }
  });

  it('ignores another version\'s cache and a corrupt one, and only warns when it cannot be written', async () => {
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '[x](missing.md)\n' });
    try {
      await mkdir(path.join(tree.dir, '.waymark'));
      await writeFile(cacheFile(tree.dir), JSON.stringify({ version: '0.0.0-other', entries: { x: { links: [] } } }));
      expect((await runCli(tree.dir, ['--offline', '--no-config'])).stdout).toContain('Cannot find file `missing.md`');
      await writeFile(cacheFile(tree.dir), 'not json');
      const corrupt = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(corrupt.stdout).toContain('Cannot find file `missing.md`');
      expect(JSON.parse(await readFile(cacheFile(tree.dir), 'utf8'))).toMatchObject({ version: tool.version });
      const { rm } = await import('node:fs/promises');
      await rm(cacheFile(tree.dir));
      await mkdir(cacheFile(tree.dir));
      const blocked = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(blocked.code).toBe(1);
      expect(blocked.stdout).toContain('Cannot find file `missing.md`');
      expect(blocked.stderr).toMatch(/^waymark: \.waymark\/parse-cache\.json: warning: Cannot write the parse cache \(.*\); files are parsed again next run$/m);
    } finally {
      await tree.cleanup();
    }
  });

  it('never follows a symlinked .waymark out of the repository', async () => {
    const outside = await tempTree({});
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '# A\n' });
    try {
      const { readdir, symlink } = await import('node:fs/promises');
      await symlink(outside.dir, path.join(tree.dir, '.waymark'));
      const result = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(result.code).toBe(0);
      expect(await readdir(outside.dir)).toEqual([]);
    } finally {
      await tree.cleanup();
      await outside.cleanup();
    }
  });
});
