/**
 * Parsing on every core: a Tinypool of worker threads, each running `parse-worker`, fed batches
 * of files. Only worth it for many files: a pool costs a worker start-up (loading the parser)
 * per thread, so small runs, one-core machines and runs without a built worker beside this
 * module (from TypeScript sources, or from the action's single-file bundle) stay in-process.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ParseItem, Parsed } from './parse-one.js';

/** Fewer files to parse than this stay in-process: starting a worker costs about as much as parsing a dozen files. */
export const poolThreshold = 24;

/** Text handed to a worker at once: large enough to amortise the message, small enough to share the work out evenly. */
const batchChars = 256 * 1024;

/**
 * The built worker, if there is one: beside this module in the compiled tree
 * (`dist/extract/parse-worker.js`), or in the CLI bundle's `extract/` folder next to the folder
 * this code was bundled into (`dist/bundle/cli/` or `dist/bundle/chunks/`).
 */
function workerFile(): string | undefined {
  for (const relative of ['./parse-worker.js', '../extract/parse-worker.js']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Threads for `count` files: every core, never more than a batch per thread; 0 means parse in-process. */
export function poolSize(count: number, requested?: number): number {
  const cores = requested ?? availableParallelism();
  if (cores < 2 || count < poolThreshold) return 0;
  return Math.min(cores, 8, Math.ceil(count / 4));
}

/** Splits files into batches of about {@link batchChars} characters, at least `minBatches` of them when there are enough files. */
function batches(items: readonly ParseItem[], minBatches: number): ParseItem[][] {
  const total = items.reduce((sum, item) => sum + item.text.length, 0);
  const limit = Math.min(batchChars, Math.max(1, Math.ceil(total / minBatches)));
  const result: ParseItem[][] = [];
  let current: ParseItem[] = [];
  let size = 0;
  for (const item of items) {
    if (current.length > 0 && size + item.text.length > limit) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += item.text.length;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * Parses `items` on `threads` worker threads, results in input order; undefined when there is no
 * built worker to run (the caller parses in-process instead).
 */
export async function parseInPool(items: readonly ParseItem[], threads: number): Promise<Parsed[] | undefined> {
  const filename = workerFile();
  if (filename === undefined) return undefined;
  const { Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads, isolateWorkers: false });
  try {
    const parts = await Promise.all(batches(items, threads * 4).map((batch) => pool.run(batch) as Promise<Parsed[]>));
    return parts.flat();
  } finally {
    await pool.destroy();
  }
}
