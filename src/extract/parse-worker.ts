/**
 * The parse pool's worker: a batch of files in, one {@link Parsed} per file out, as plain data
 * (the syntax trees stay and die in the worker).
 */
import { parseOne, type ParseItem, type Parsed } from './parse-one.js';

/** Parses a batch of files, in order. */
export default function parseBatch(batch: readonly ParseItem[]): Parsed[] {
  return batch.map(parseOne);
}
