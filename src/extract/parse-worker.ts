/**
 * The parse pool's worker: a batch of whole files in, one {@link Parsed} per file out, or one chunk
 * of a large file in, its walk out (see split.ts), as plain data (the syntax trees stay and die in
 * the worker).
 */
import { parseOne, type ParseItem, type Parsed } from './parse-one.js';
import { walkChunk, type Chunk, type ChunkWalk } from './split.js';

/** A chunk's walk, or that it failed to parse (the caller then parses the file whole, for its notice). */
export type ChunkOutcome = { readonly kind: 'walk'; readonly walk: ChunkWalk } | { readonly kind: 'failed' };

/** Parses a batch of files, in order, or one chunk. */
export default function parse(job: readonly ParseItem[] | Chunk): Parsed[] | ChunkOutcome {
  if (Array.isArray(job)) return job.map(parseOne);
  try {
    return { kind: 'walk', walk: walkChunk(job as Chunk) };
  } catch {
    return { kind: 'failed' };
  }
}
