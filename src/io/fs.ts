import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';

/** What a path is on disk, or `undefined` when nothing is there. */
export type PathKind = 'file' | 'directory' | undefined;

/** A file refused by `readFile` because it is bigger than the caller's limit; nothing was read. */
export class TooLargeError extends Error {
  constructor(readonly size: number) {
    super(`file of ${size} bytes is over the limit`);
    this.name = 'TooLargeError';
  }
}

/** The file-system access the pipeline needs, so tests can hand in their own. */
export interface FileSystem {
  /**
   * Reads a whole file; rejects when it cannot be read, and with a `TooLargeError` (before
   * reading anything) when `maxBytes` is given and the file is bigger.
   */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  /** Says whether a path is a file, a directory or missing (following symlinks). */
  kind(path: string): Promise<PathKind>;
  /** Lists a directory's entry names exactly as stored, or `undefined` when it cannot be listed. */
  list(path: string): Promise<readonly string[] | undefined>;
  /** The path with every symlink resolved, or `undefined` when it does not exist (optional: without it no symlink is seen). */
  realpath?(path: string): Promise<string | undefined>;
}

/** The real file system through `node:fs/promises`. */
export const nodeFileSystem: FileSystem = {
  readFile: (path, maxBytes) => (maxBytes === undefined ? readFile(path) : readBounded(path, maxBytes)),
  async kind(path) {
    try {
      const info = await stat(path);
      if (info.isFile()) return 'file';
      return info.isDirectory() ? 'directory' : undefined;
    } catch {
      return undefined;
    }
  },
  async list(path) {
    try {
      return await readdir(path);
    } catch {
      return undefined;
    }
  },
  async realpath(path) {
    try {
      return await realpath(path);
    } catch {
      return undefined;
    }
  },
};

/**
 * Reads a file of at most `maxBytes`: its size is taken from the open handle first, so a huge
 * (or sparse) file is refused without reading it, and reading stops past the limit if the file
 * grew in between.
 */
async function readBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new TooLargeError(size);
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, size) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > maxBytes) throw new TooLargeError(length);
        break;
      }
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
