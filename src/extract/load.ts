import path from 'node:path';
import pLimit from 'p-limit';
import { decodeSource, maxBytes, tooLarge } from '../collect/decode.js';
import { findShapeProblem } from '../collect/shape.js';
import { TooLargeError, type FileSystem } from '../io/fs.js';
import { codeOf } from '../io/write.js';
import type { Document, Notice } from '../types.js';
import type { ParseCache } from './cache.js';
import { extractDocument } from './document.js';

/** Files read at once: enough to keep the disk busy, few enough never to run out of file handles. */
const readConcurrency = 32;

/** The documents extracted from a set of files, and the notices for files that were skipped. */
export interface Loaded {
  readonly documents: Document[];
  readonly notices: Notice[];
}

/**
 * Reads, decodes and extracts files (relative to `cwd`). A file that cannot be read, is binary,
 * is not UTF-8, has a shape the parser handles too slowly (see `shape.ts`) or fails to parse becomes a notice, never an exception.
 */
export async function loadDocuments(files: readonly string[], cwd: string, fs: FileSystem, cache?: ParseCache): Promise<Loaded> {
  const documents: Document[] = [];
  const notices: Notice[] = [];
  const limit = pLimit(readConcurrency);
  const loaded = await Promise.all(
    files.map((file) => limit(async () => {
      try {
        return { file, decoded: decodeSource(file, await fs.readFile(path.join(cwd, file), maxBytes)) };
      } catch (error) {
        if (error instanceof TooLargeError) return { file, decoded: tooLarge(file, error.size) };
        const reason = codeOf(error) ?? 'read error';
        const notice: Notice = { kind: 'unreadable', file, message: `Cannot read file (${reason}); skipped` };
        return { file, decoded: { kind: 'notice' as const, notice } };
      }
    })),
  );
  for (const { file, decoded } of loaded) {
    if (decoded.kind === 'notice') {
      notices.push(decoded.notice);
      continue;
    }
    const key = cache?.key(decoded.text);
    const cached = key === undefined ? undefined : cache?.get(file, key);
    if (cached !== undefined) {
      documents.push(cached);
      continue;
    }
    const shape = findShapeProblem(decoded.text);
    if (shape !== undefined) {
      notices.push({ file, ...shape });
      continue;
    }
    try {
      const document = extractDocument(file, decoded.text);
      if (key !== undefined) cache?.set(document, key);
      documents.push(document);
    } catch (error) {
      const reason = error instanceof RangeError ? 'nesting too deep' : error instanceof Error ? error.message : String(error);
      notices.push({ kind: 'unparsable', file, message: `Cannot parse markdown (${reason}); file skipped` });
    }
  }
  return { documents, notices };
}
