/**
 * The one way Waymark writes a file (the `--output` reports and the result cache).
 *
 * - A missing path or a regular file: the text goes to a temporary file in the same directory,
 *   which is then renamed over the target, so a reader never sees half a file. An existing
 *   file keeps its mode. The temporary file is removed on any failure, and on SIGINT/SIGTERM
 *   while it exists (the process then exits with 128 + the signal number).
 * - A symlink: followed to its final target, and the same rules apply there; the link stays.
 * - Anything else that is not a directory (a FIFO, a character device such as `/dev/null`):
 *   written through, never renamed over. A FIFO is opened without blocking, so a FIFO that
 *   nobody reads is an error instead of a hang.
 * - A directory: an error.
 *
 * `verify`, when given, runs after the temporary file is complete and before the rename; when it
 * throws, the temporary file is removed and the target is left as it was (`--fix` checks there
 * that the file did not change on disk since it was read).
 *
 * Failures throw a {@link WriteError} whose message is one line.
 */
import { randomBytes } from 'node:crypto';
import { constants, unlinkSync } from 'node:fs';
import { chmod, lstat, open, readlink, realpath, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Why a file could not be written; `message` is one line. */
export class WriteError extends Error {
  override readonly name = 'WriteError';
  /** The path as the caller named it. */
  readonly file: string;
  /** The system error code (`EACCES`, `ENXIO`…), when there is one. */
  readonly code: string | undefined;

  constructor(file: string, message: string, code?: string) {
    super(message);
    this.file = file;
    this.code = code;
  }
}

/** Symlinks followed before giving up, as the kernel does (`ELOOP`). */
const maxLinks = 40;

/** How {@link safeWrite} may refuse: a final target outside the allowed place, a check before the rename. */
export interface SafeWriteOptions {
  readonly allow?: (target: string) => boolean;
  /** Runs just before the temporary file replaces `target` (a regular file or a missing path); throwing stops the write. */
  readonly verify?: (target: string) => Promise<void>;
}

/** What can be written: text, bytes, or text in pieces (written one after another, never joined in memory). */
export type WriteData = string | Uint8Array | Iterable<string>;

/** Writes `text` to `file` by the rules above; the final target must pass `allow`, when given. */
export async function safeWrite(file: string, text: WriteData, options: SafeWriteOptions = {}): Promise<void> {
  const target = await finalTarget(file);
  if (options.allow !== undefined && !options.allow(target.path)) {
    throw new WriteError(file, 'Refusing to write outside the repository (a symlink points out of it)');
  }
  switch (target.kind) {
    case 'missing':
    case 'file':
      return replaceFile(file, target.path, text, target.mode, options.verify);
    case 'directory':
      throw new WriteError(file, 'Cannot write: the path is a directory', 'EISDIR');
    case 'fifo':
    case 'other':
      return writeThrough(file, target.path, text, target.kind === 'fifo');
  }
}

type Target =
  | { readonly kind: 'missing'; readonly path: string; readonly mode?: undefined }
  | { readonly kind: 'file'; readonly path: string; readonly mode: number }
  | { readonly kind: 'directory' | 'fifo' | 'other'; readonly path: string; readonly mode?: undefined };

/** Follows symlinks from `file` to what is really there (a dangling link gives its missing target). */
export async function finalTarget(file: string): Promise<Target> {
  let current = path.resolve(file);
  for (let hops = 0; hops <= maxLinks; hops += 1) {
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT') return { kind: 'missing', path: current };
      throw new WriteError(file, `Cannot write (${code ?? 'error'})`, code);
    }
    if (info.isSymbolicLink()) {
      current = path.resolve(path.dirname(current), await readlink(current));
      continue;
    }
    if (info.isFile()) return { kind: 'file', path: current, mode: info.mode & 0o7777 };
    if (info.isDirectory()) return { kind: 'directory', path: current };
    return { kind: info.isFIFO() ? 'fifo' : 'other', path: current };
  }
  throw new WriteError(file, 'Cannot write: too many levels of symbolic links', 'ELOOP');
}

async function replaceFile(
  file: string,
  target: string,
  text: WriteData,
  mode: number | undefined,
  verify: SafeWriteOptions['verify'],
): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  liveTemps.add(temp);
  watchSignals();
  try {
    await writeFile(temp, text, { flag: 'wx' });
    if (mode !== undefined) await chmod(temp, mode);
    await verify?.(target);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (error instanceof WriteError) throw error;
    const code = codeOf(error);
    throw new WriteError(file, `Cannot write (${code ?? 'error'})`, code);
  } finally {
    liveTemps.delete(temp);
    if (liveTemps.size === 0) unwatchSignals();
  }
}

async function writeThrough(file: string, target: string, text: WriteData, fifo: boolean): Promise<void> {
  let probe: FileHandle | undefined;
  let handle: FileHandle | undefined;
  try {
    if (fifo) {
      try {
        // Without a reader this fails at once (ENXIO) instead of waiting for one.
        probe = await open(target, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (error) {
        const code = codeOf(error);
        if (code === 'ENXIO') throw new WriteError(file, 'Cannot write: the FIFO has no reader', code);
        throw error;
      }
    }
    // With a reader present this opens at once; the blocking handle waits for a full pipe to drain.
    handle = await open(target, constants.O_WRONLY);
    await probe?.close();
    probe = undefined;
    if (typeof text === 'string' || text instanceof Uint8Array) await handle.writeFile(text);
    else for (const piece of text) await handle.write(piece);
  } catch (error) {
    if (error instanceof WriteError) throw error;
    const code = codeOf(error);
    throw new WriteError(file, `Cannot write (${code ?? 'error'})`, code);
  } finally {
    await probe?.close().catch(() => undefined);
    await handle?.close().catch(() => undefined);
  }
}

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`…), when it has one. */
export function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Temporary files that exist right now, removed if the process is told to stop. */
const liveTemps = new Set<string>();

const signalNumbers = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof signalNumbers;

function onSignal(signal: StopSignal): void {
  for (const temp of liveTemps) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or never created.
    }
  }
  liveTemps.clear();
  process.exit(128 + signalNumbers[signal]);
}

let watching = false;

function watchSignals(): void {
  if (watching) return;
  watching = true;
  for (const signal of Object.keys(signalNumbers) as StopSignal[]) process.on(signal, onSignal);
}

function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  for (const signal of Object.keys(signalNumbers) as StopSignal[]) process.off(signal, onSignal);
}

/** Whether `inner` is `outer` or below it. */
export function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of `file`, or `undefined` when it does not exist. */
async function realOrMissing(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

/**
 * The name of what makes `file` lead out of `root`, if anything does: its directory or the file
 * itself being a symlink that resolves outside. Caches check it before reading or writing.
 */
export async function escapesRoot(file: string, root: string): Promise<string | undefined> {
  const realRoot = (await realOrMissing(root)) ?? path.resolve(root);
  const directory = path.dirname(file);
  const realDirectory = await realOrMissing(directory);
  const directoryIsLink = await lstat(directory).then((info) => info.isSymbolicLink(), () => false);
  if (directoryIsLink && (realDirectory === undefined || !isInside(realDirectory, realRoot))) {
    return path.basename(directory);
  }
  if (realDirectory === undefined) return undefined;
  const target = await finalTarget(file).catch(() => undefined);
  const realTargetDirectory = target === undefined ? undefined : await realOrMissing(path.dirname(target.path));
  if (realTargetDirectory !== undefined && !isInside(realTargetDirectory, realRoot)) {
    return path.basename(file);
  }
  return undefined;
}

