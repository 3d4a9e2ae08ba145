import path from 'node:path';
import type { FileSystem } from '../io/fs.js';
import { memoize } from '../memo.js';

/**
 * The repository root a file's relative links may not climb above: the work tree around the
 * working directory for files inside it; for a file elsewhere, the nearest ancestor holding
 * `.git`, or the file-system root when it is in no repository.
 */
export class RootFinder {
  readonly #fs: FileSystem;
  readonly #main: string;
  readonly #search: (dir: string) => Promise<string> = memoize((dir) => this.#nearestGit(dir));

  /** `main` is the root for files inside it (absolute, `/`-separated). */
  constructor(fs: FileSystem, main: string) {
    this.#fs = fs;
    this.#main = main;
  }

  /** The root for an absolute file path. */
  of(file: string): Promise<string> {
    if (file.startsWith(this.#main.endsWith('/') ? this.#main : `${this.#main}/`)) return Promise.resolve(this.#main);
    return this.#search(path.posix.dirname(file));
  }

  async #nearestGit(dir: string): Promise<string> {
    for (let current = dir; ; current = path.posix.dirname(current)) {
      if ((await this.#fs.kind(path.join(current, '.git'))) !== undefined) return current;
      if (path.posix.dirname(current) === current) return current;
    }
  }
}
