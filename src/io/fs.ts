import { readdir, readFile, realpath, stat } from 'node:fs/promises';

/** What a path is on disk, or `undefined` when nothing is there. */
export type PathKind = 'file' | 'directory' | undefined;

/** The file-system access the pipeline needs, so tests can hand in their own. */
export interface FileSystem {
  /** Reads a whole file; rejects when it cannot be read. */
  readFile(path: string): Promise<Uint8Array>;
  /** Says whether a path is a file, a directory or missing (following symlinks). */
  kind(path: string): Promise<PathKind>;
  /** Lists a directory's entry names exactly as stored, or `undefined` when it cannot be listed. */
  list(path: string): Promise<readonly string[] | undefined>;
  /** The path with every symlink resolved, or `undefined` when it does not exist (optional: without it no symlink is seen). */
  realpath?(path: string): Promise<string | undefined>;
}

/** The real file system through `node:fs/promises`. */
export const nodeFileSystem: FileSystem = {
  readFile: (path) => readFile(path),
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
