/**
 * The parse pool's worker: a batch of whole files in, one {@link Parsed} per file out, or one chunk
 * of a large file in, its walk out (see split.ts), as plain data (the syntax trees stay and die in
 * the worker). A chunk that fails to parse throws, which rejects its task; the caller then parses
 * the file whole, for its notice.
 */
import { parseOne, type ParseItem, type Parsed } from './parse-one.js';
import { walkChunk, type Chunk, type ChunkWalk } from './split.js';

/** Parses a batch of files, in order, or one chunk. */
export default function parse(job: readonly ParseItem[] | Chunk): Parsed[] | ChunkWalk {
  return Array.isArray(job) ? job.map(parseOne) : walkChunk(job as Chunk);
}
