import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeWrite, WriteError } from '../src/io/write.js';
import { runCli, tempTree } from './helpers/cli.js';

let tree: Awaited<ReturnType<typeof tempTree>>;
beforeEach(async () => {
  tree = await tempTree({ 'README.md': '# Title\n\n[ok](#title)\n' });
});
afterEach(() => tree.cleanup());

/** Reads a FIFO to its end in a separate process-side stream. */
function readFifo(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    createReadStream(file, 'utf8')
      .on('data', (chunk) => (text += chunk))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

describe('safeWrite', () => {
  it('writes through /dev/null, which stays a character device', async () => {
    await safeWrite('/dev/null', 'report\n');
    const info = await lstat('/dev/null');
    expect(info.isCharacterDevice()).toBe(true);
  });

  it('writes a FIFO that has a reader and leaves it a FIFO', async () => {
    const fifo = path.join(tree.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reading = readFifo(fifo);
    // The reader opens asynchronously; wait until the open has reached the kernel.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const big = 'x'.repeat(300_000) + '\n';
    await safeWrite(fifo, big);
    expect(await reading).toBe(big);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await leftovers(tree.dir)).toEqual([]);
  });

  it('fails at once with one line on a FIFO nobody reads', async () => {
    const fifo = path.join(tree.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const error = await safeWrite(fifo, 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toBe('Cannot write: the FIFO has no reader');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('follows a symlink: the link stays a link and its target gets the text', async () => {
    await mkdir(path.join(tree.dir, 'real'));
    const target = path.join(tree.dir, 'real', 'out.json');
    await writeFile(target, 'old');
    const link = path.join(tree.dir, 'link.json');
    await symlink('real/out.json', link);
    await safeWrite(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real/out.json');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await leftovers(tree.dir)).toEqual([]);
    expect(await leftovers(path.join(tree.dir, 'real'))).toEqual([]);
  });

  it('creates the target of a dangling symlink', async () => {
    const link = path.join(tree.dir, 'dangling.json');
    await symlink('made.json', link);
    await safeWrite(link, 'made');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(tree.dir, 'made.json'), 'utf8')).toBe('made');
  });

  it('keeps the mode of an existing regular file', async () => {
    const file = path.join(tree.dir, 'out.json');
    await writeFile(file, 'old');
    await chmod(file, 0o640);
    await safeWrite(file, 'new');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await leftovers(tree.dir)).toEqual([]);
  });

  it('gives a one-line error for a directory and leaves it alone', async () => {
    const dir = path.join(tree.dir, 'out');
    await mkdir(dir);
    const error = await safeWrite(dir, 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toBe('Cannot write: the path is a directory');
    expect((await lstat(dir)).isDirectory()).toBe(true);
    expect(await leftovers(tree.dir)).toEqual([]);
  });

  it('removes its temporary file when the rename fails', async () => {
    // A missing parent directory: the temporary file cannot even be created; nothing is left.
    const error = await safeWrite(path.join(tree.dir, 'no', 'out.json'), 'x').catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('Cannot write (ENOENT)');
    expect(await leftovers(tree.dir)).toEqual([]);
  });
});

describe('cli: -o into odd files', () => {
  it('-o json:<fifo> sends the report down the FIFO, which stays a FIFO', async () => {
    const fifo = path.join(tree.dir, 'p');
    execFileSync('mkfifo', [fifo]);
    const reading = readFifo(fifo);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await runCli(tree.dir, ['--offline', '-o', 'json:p', 'README.md']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(await reading) as { summary: { files: number } };
    expect(report.summary.files).toBe(1);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await leftovers(tree.dir)).toEqual([]);
  });

  it('-o json:<fifo> without a reader is a one-line error, not a hang', async () => {
    execFileSync('mkfifo', [path.join(tree.dir, 'p')]);
    const result = await runCli(tree.dir, ['--offline', '-o', 'json:p', 'README.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('waymark: p: Cannot write: the FIFO has no reader\n');
  });

  it('-o json:/dev/null leaves /dev/null a character device', async () => {
    const result = await runCli(tree.dir, ['--offline', '-o', 'json:/dev/null', 'README.md']);
    expect(result.code).toBe(0);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('-o into a directory is a one-line error naming the path as given', async () => {
    await mkdir(path.join(tree.dir, 'out'));
    const result = await runCli(tree.dir, ['--offline', '-o', 'json:out', 'README.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('waymark: out: Cannot write: the path is a directory\n');
  });
});

