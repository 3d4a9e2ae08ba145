/**
 * Parsing on every core: a Tinypool of worker threads, each running `parse-worker`, fed batches
 * of files and the chunks of large files (see split.ts). Only worth it for many files or a large
 * one: a pool costs a worker start-up (loading the parser) per thread, so small runs, one-core
 * machines and runs without a built worker beside this module (from TypeScript sources, or from
 * the action's single-file bundle) stay in-process. Each batch's documents share their repeated
 * strings as they arrive (see intern.ts).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { findShapeProblem } from '../collect/shape.js';
import { SharedStrings } from './intern.js';
import { documentsOf, parseOne, type ParseItem, type Parsed } from './parse-one.js';
import { extractInChunks, minChunkChars, splitChars, splitPoints, type Chunk, type ChunkWalk } from './split.js';

/** Fewer files to parse than this stay in-process: starting a worker costs about as much as parsing a dozen files. */
export const poolThreshold = 24;

/** Text handed to a worker at once: large enough to amortise the message, small enough to share the work out evenly. */
const batchChars = 64 * 1024;

/**
 * The old generation of a worker's heap, in MB: a worker that holds the syntax trees of one batch at
 * a time needs far less than V8 would let it grow to, and every MB it holds is the process's.
 */
const workerHeapMb = 128;

/** Options for {@link parseInPool}. */
export interface PoolOptions {
  /** Shares the strings of the documents as they arrive. */
  readonly strings?: SharedStrings;
  /** The old generation of each worker's heap, in MB (default 128; no cap when a file is cut into chunks). */
  readonly heapMb?: number;
}

/** The most chunks one file is cut into. */
const maxChunks = 32;

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

/** What there is to parse: how many files, their total length and the longest, in characters. */
export interface ParseLoad {
  readonly count: number;
  readonly total: number;
  readonly largest: number;
}

/**
 * Below this much text in all, a two-core machine parses in-process: one parse already keeps the
 * second core busy collecting its garbage, so a second thread makes the run slower (200 files of
 * 1.6 MB, 11 runs each: median 5.65 s pooled against 5.29 s in-process, with about 30% more CPU);
 * above it the pool still pays, in memory (2,000 files of 15.9 MB peak at 400 MB pooled against
 * 620-650 MB in-process).
 */
export const twoCorePoolChars = 4 * 1024 * 1024;

/**
 * Threads for `load`: every core (or the `requested` number), never more than a batch per thread
 * (unless a file is large enough to be cut into chunks); 0 means parse in-process. On `cores` = 2
 * and no request, only a load of {@link twoCorePoolChars} or more goes to the pool.
 */
export function poolSize(load: ParseLoad, requested?: number, cores = availableParallelism()): number {
  const threads = requested ?? cores;
  if (threads < 2) return 0;
  if (load.largest >= splitChars) return Math.min(threads, 8);
  if (load.count < poolThreshold) return 0;
  if (requested === undefined && cores <= 2 && load.total < twoCorePoolChars) return 0;
  return Math.min(threads, 8, Math.ceil(load.count / 4));
}

/**
 * How long a large file's chunks are: short, since a worker's heap grows with the syntax tree of the
 * chunk it holds (64 KB chunks halve the peak memory of 128 KB ones), but at most {@link maxChunks}
 * of them, since each is sent the whole text.
 */
export function chunkChars(length: number): number {
  return Math.max(minChunkChars, Math.ceil(length / maxChunks));
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
 * built worker to run (the caller parses in-process instead). A large file is cut into chunks that
 * run side by side; one whose chunk fails to parse is parsed again whole, in-process, for its notice.
 */
export async function parseInPool(items: readonly ParseItem[], threads: number, options: PoolOptions = {}): Promise<Parsed[] | undefined> {
  const { strings = new SharedStrings(), heapMb = workerHeapMb } = options;
  const filename = workerFile();
  if (filename === undefined) return undefined;
  const { Tinypool } = await import('tinypool');
  // A file with a shape the parser handles too slowly is not cut: parsed whole, it gives its notice.
  const isCuttable = (item: ParseItem): boolean => item.text.length >= splitChars && findShapeProblem(item.text) === undefined;
  const points = items.map((item) => (isCuttable(item) ? splitPoints(item.text, chunkChars(item.text.length)) : []));
  // Chunks are parsed fastest with room to spare (near the cap, a worker spends its time collecting
  // garbage), so a run with a file cut into chunks leaves the heap uncapped.
  const isCut = points.some((cuts) => cuts.length > 0);
  const resourceLimits = isCut ? {} : { maxOldGenerationSizeMb: heapMb };
  const pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads, isolateWorkers: false, resourceLimits });
  // A worker that dies between tasks (out of heap as it frees the last one) is replaced; the tasks it held reject on their own.
  pool.on('error', () => undefined);
  try {
    // The chunks go first: the longest work starts first, and the small files fill in around it.
    const chunked = items.map((item, index) => {
      const cuts = points[index] ?? [];
      if (cuts.length === 0) return undefined;
      const parse = (chunk: Chunk): Promise<ChunkWalk> => pool.run(chunk) as Promise<ChunkWalk>;
      return extractInChunks(item.file, item.text, cuts, parse)
        .then((document): Parsed => ({ kind: 'document', document }), () => parseOne(item))
        .then((parsed) => {
          strings.share(documentsOf([parsed]));
          return parsed;
        });
    });
    const whole = items.filter((_, index) => chunked[index] === undefined);
    const parts = await Promise.all(
      batches(whole, threads * 4).map(async (batch) => {
        // A worker that runs out of its heap ends; its batch is parsed again here, where there is no such cap.
        const parsed = await (pool.run(batch) as Promise<Parsed[]>).catch(() => batch.map(parseOne));
        strings.share(documentsOf(parsed));
        return parsed;
      }),
    );
    const parsed = parts.flat();
    let next = 0;
    return await Promise.all(items.map((_, index) => chunked[index] ?? (parsed[next++] as Parsed)));
  } finally {
    await pool.destroy();
  }
}
