import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openParseCache } from '../src/extract/cache.js';
import { extractDocument } from '../src/extract/index.js';
import { runCli, tempTree } from './helpers/cli.js';

const cacheDir = (dir: string): string => path.join(dir, '.waymark', 'parse-cache');
type Entry = { links: Array<{ url: string }> };
/** The entry files, by name. */
async function entries(dir: string): Promise<Map<string, Entry>> {
  const names = (await readdir(cacheDir(dir))).filter((name) => name.endsWith('.json')).sort();
  const read = await Promise.all(names.map(async (name) => [name, JSON.parse(await readFile(path.join(cacheDir(dir), name), 'utf8')) as Entry] as const));
  return new Map(read);
}

describe('the parse cache', () => {
  it('is written on a run and answers for unchanged files on the next, while a changed file is parsed again', async () => {
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '[x](missing.md)\n', 'b.md': '# B\n' });
    try {
      const first = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(first.stdout).toContain('a.md:1:1  error  missing-file  Cannot find file `missing.md`');
      const written = await entries(tree.dir);
      expect([...written.keys()].every((name) => /^[0-9a-f]{64}\.json$/.test(name))).toBe(true);
      expect(written.size).toBe(2);
      // Prove the next run reads the cache rather than the file: doctor the entry for a.md.
      for (const [name, entry] of written) {
        if (!entry.links.some((link) => link.url === 'missing.md')) continue;
        for (const link of entry.links) link.url = 'doctored.md';
        await writeFile(path.join(cacheDir(tree.dir), name), JSON.stringify(entry));
      }
      const second = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(second.stdout).toContain('Cannot find file `doctored.md`');
      // --no-parse-cache parses again, and a changed file is parsed again.
      const fresh = await runCli(tree.dir, ['--offline', '--no-config', '--no-parse-cache']);
      expect(fresh.stdout).toContain('Cannot find file `missing.md`');
      await writeFile(path.join(tree.dir, 'a.md'), '[x](missing.md) [y](other.md)\n');
      const changed = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(changed.stdout).toContain('Cannot find file `missing.md`');
      expect(changed.stdout).toContain('Cannot find file `other.md`');
      // Only the entries of this run's files are kept: b.md's, untouched, and a.md's new one.
      const after = await entries(tree.dir);
      expect(after.size).toBe(2);
      const kept = [...written.keys()].filter((name) => after.has(name));
      expect(kept).toHaveLength(1);
      expect(after.get(kept[0] as string)).toEqual(written.get(kept[0] as string));
    } finally {
      await tree.cleanup();
    }
  });

  it('ignores corrupt entries and files it did not write, and only warns when it cannot be written', async () => {
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '[x](missing.md)\n' });
    try {
      await runCli(tree.dir, ['--offline', '--no-config']);
      const [name] = [...(await entries(tree.dir)).keys()];
      await writeFile(path.join(cacheDir(tree.dir), name as string), 'not json');
      await writeFile(path.join(cacheDir(tree.dir), 'notes.txt'), 'kept');
      const corrupt = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(corrupt.stdout).toContain('Cannot find file `missing.md`');
      // The corrupt entry is written again; a file that is not an entry is left alone.
      expect((await entries(tree.dir)).get(name as string)?.links[0]?.url).toBe('missing.md');
      expect(await readFile(path.join(cacheDir(tree.dir), 'notes.txt'), 'utf8')).toBe('kept');
      await rm(cacheDir(tree.dir), { recursive: true });
      await writeFile(cacheDir(tree.dir), 'a file where the directory should be');
      const blocked = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(blocked.code).toBe(1);
      expect(blocked.stdout).toContain('Cannot find file `missing.md`');
      expect(blocked.stderr).toMatch(/^waymark: \.waymark\/parse-cache: warning: Cannot write the parse cache \(.*\); files are parsed again next run$/m);
    } finally {
      await tree.cleanup();
    }
  });

  it("never answers with another version's entry, and the next version's run removes it", async () => {
    const tree = await tempTree({});
    try {
      const text = '[x](a.md)\n';
      const older = await openParseCache(cacheDir(tree.dir), '0.0.1', tree.dir);
      older?.set(extractDocument('a.md', text), older.key(text), text);
      expect(await older?.save()).toBeUndefined();
      const newer = await openParseCache(cacheDir(tree.dir), '0.0.2', tree.dir);
      expect(newer?.key(text)).not.toBe(older?.key(text));
      expect(await newer?.get('a.md', newer.key(text), text)).toBeUndefined();
      expect(await newer?.get('a.md', older?.key(text) as string, text)).toMatchObject({ file: 'a.md', links: [{ url: 'a.md' }] });
      const latest = await openParseCache(cacheDir(tree.dir), '0.0.2', tree.dir);
      expect(await latest?.save()).toBeUndefined();
      expect(await readdir(cacheDir(tree.dir))).toEqual([]);
    } finally {
      await tree.cleanup();
    }
  });

  it('never reads an entry through a symlink', async () => {
    const outside = await tempTree({ 'entry.json': JSON.stringify({ links: [{ url: 'planted.md' }] }) });
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '[x](missing.md)\n' });
    try {
      await runCli(tree.dir, ['--offline', '--no-config']);
      const [name] = [...(await entries(tree.dir)).keys()];
      const entry = path.join(cacheDir(tree.dir), name as string);
      await rm(entry);
      await symlink(path.join(outside.dir, 'entry.json'), entry);
      const result = await runCli(tree.dir, ['--offline', '--no-config']);
      expect(result.stdout).toContain('Cannot find file `missing.md`');
      expect(result.stdout).not.toContain('planted.md');
    } finally {
      await tree.cleanup();
      await outside.cleanup();
    }
  });

  it('never follows a symlinked .waymark out of the repository', async () => {
    const outside = await tempTree({});
    const tree = await tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'a.md': '# A\n' });
    try {
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
