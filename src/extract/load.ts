import path from 'node:path';
import pLimit from 'p-limit';
import { decodeSource, maxBytes, tooLarge } from '../collect/decode.js';
import { TooLargeError, type FileSystem } from '../io/fs.js';
import { codeOf } from '../io/write.js';
import type { Document, Notice } from '../types.js';
import type { ParseCache } from './cache.js';
import { documentsOf, parseOne, type ParseItem, type Parsed } from './parse-one.js';
import { SharedStrings } from './intern.js';
import { parseInPool, poolSize } from './pool.js';

/** Files read at once: enough to keep the disk busy, few enough never to run out of file handles. */
const readConcurrency = 32;

/** How to parse. */
export interface LoadOptions {
  /** Parse threads; default: one per core when there are enough files, 0 or 1 to parse in-process. */
  readonly threads?: number;
}

/** The documents extracted from a set of files, and the notices for files that were skipped. */
export interface Loaded {
  readonly documents: Document[];
  readonly notices: Notice[];
}

/**
 * Reads, decodes and extracts files (relative to `cwd`). A file that cannot be read, is binary,
 * is not UTF-8, has a shape the parser handles too slowly (see `shape.ts`) or fails to parse becomes a notice, never an exception.
 */
export async function loadDocuments(
  files: readonly string[],
  cwd: string,
  fs: FileSystem,
  cache?: ParseCache,
  options: LoadOptions = {},
): Promise<Loaded> {
  const documents: Document[] = [];
  const notices: Notice[] = [];
  const limit = pLimit(readConcurrency);
  const loaded = await Promise.all(
    files.map((file) => limit(async () => {
      try {
        const decoded = decodeSource(file, await fs.readFile(path.join(cwd, file), maxBytes));
        if (decoded.kind === 'notice' || cache === undefined) return { file, decoded };
        const key = cache.key(decoded.text);
        return { file, decoded, key, cached: await cache.get(file, key, decoded.text) };
      } catch (error) {
        if (error instanceof TooLargeError) return { file, decoded: tooLarge(file, error.size) };
        const reason = codeOf(error) ?? 'read error';
        const notice: Notice = { kind: 'unreadable', file, message: `Cannot read file (${reason}); skipped` };
        return { file, decoded: { kind: 'notice' as const, notice } };
      }
    })),
  );
  // Documents and notices keep the files' order, cached or parsed, in-process or in the pool.
  const outcomes: (Parsed | undefined)[] = [];
  const toParse: { index: number; item: ParseItem; key?: string }[] = [];
  for (const { file, decoded, key, cached } of loaded) {
    const index = outcomes.length;
    if (decoded.kind === 'notice') {
      outcomes.push({ kind: 'notice', notice: decoded.notice });
      continue;
    }
    outcomes.push(cached === undefined ? undefined : { kind: 'document', document: cached });
    if (cached === undefined) toParse.push({ index, item: { file, text: decoded.text }, ...(key === undefined ? {} : { key }) });
  }
  const items = toParse.map(({ item }) => item);
  const lengths = items.map((item) => item.text.length);
  const load = { count: items.length, total: lengths.reduce((sum, n) => sum + n, 0), largest: lengths.reduce((most, n) => Math.max(most, n), 0) };
  const threads = poolSize(load, options.threads);
  // Documents share one copy of each repeated string: the cached ones (all `outcomes` holds so far)
  // here, the pool's as they arrive, before the next ones pile up, and in-process ones once parsed.
  const strings = new SharedStrings();
  strings.share(documentsOf(outcomes));
  const pooled = threads > 0 ? await parseInPool(items, threads, { strings }) : undefined;
  const parsed = pooled ?? items.map(parseOne);
  if (pooled === undefined) strings.share(documentsOf(parsed));
  parsed.forEach((outcome, position) => {
    const { index, key, item } = toParse[position] as (typeof toParse)[number];
    outcomes[index] = outcome;
    if (outcome.kind === 'document' && key !== undefined) cache?.set(outcome.document, key, item.text);
  });
  for (const outcome of outcomes) {
    if (outcome?.kind === 'notice') notices.push(outcome.notice);
    else if (outcome !== undefined) documents.push(outcome.document);
  }
  return { documents, notices };
}
