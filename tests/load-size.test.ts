import { open } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxBytes } from '../src/collect/decode.js';
import { loadDocuments } from '../src/extract/load.js';
import { nodeFileSystem, TooLargeError } from '../src/io/fs.js';
import { runCli, tempTree } from './helpers/cli.js';

/** Makes a sparse file of `size` bytes: it takes no disk space and reads as NUL bytes. */
async function sparse(file: string, size: number): Promise<void> {
  const handle = await open(file, 'w');
  await handle.truncate(size);
  await handle.close();
}

describe('files over the size limit', () => {
  it('are refused from their size, unread (a 3 GB file once failed with ERR_FS_FILE_TOO_LARGE)', async () => {
    const tree = await tempTree({ 'ok.md': '# Ok\n' });
    try {
      await sparse(path.join(tree.dir, 'huge.md'), 3 * 1024 ** 3);
      const { documents, notices } = await loadDocuments(['huge.md', 'ok.md'], tree.dir, nodeFileSystem);
      expect(documents.map((document) => document.file)).toEqual(['ok.md']);
      expect(notices).toEqual([
        { kind: 'too-large', file: 'huge.md', message: 'Unexpected file size 3072.0 MB, over the 10 MB limit; file skipped' },
      ]);
      await expect(nodeFileSystem.readFile(path.join(tree.dir, 'huge.md'), maxBytes)).rejects.toBeInstanceOf(TooLargeError);
      expect((await nodeFileSystem.readFile(path.join(tree.dir, 'ok.md'), maxBytes)).length).toBe(5);
    } finally {
      await tree.cleanup();
    }
  });

  it('reads a file of exactly the limit, and skips one byte more, through the CLI', async () => {
    const tree = await tempTree({});
    try {
      await sparse(path.join(tree.dir, 'at-limit.md'), maxBytes);
      await sparse(path.join(tree.dir, 'over.md'), maxBytes + 1);
      const result = await runCli(tree.dir, ['--offline', '--no-config', '.']);
      expect(result.code).toBe(0);
      // The file at the limit is read (and is binary: a sparse file reads as NUL bytes).
      expect(result.stderr).toContain('waymark: at-limit.md:1:1: warning: Unexpected NUL byte: binary file skipped');
      expect(result.stderr).toContain('waymark: over.md: warning: Unexpected file size 10.0 MB, over the 10 MB limit; file skipped');
    } finally {
      await tree.cleanup();
    }
  });
});
