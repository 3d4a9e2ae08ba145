/**
 * One file's text to its extracted document, or to the notice saying why it was skipped: a shape
 * the parser handles too slowly (see `collect/shape.ts`) or markdown that fails to parse. Shared
 * by the in-process path and the parse workers, so both give exactly the same result.
 */
import { findShapeProblem } from '../collect/shape.js';
import type { Document, Notice } from '../types.js';
import { extractDocument } from './document.js';

/** What parsing one file gave. */
export type Parsed = { readonly kind: 'document'; readonly document: Document } | { readonly kind: 'notice'; readonly notice: Notice };

/** One file to parse: its path (relative, for positions and messages) and its decoded text. */
export interface ParseItem {
  readonly file: string;
  readonly text: string;
}

/** Parses and extracts one file; never throws. */
export function parseOne({ file, text }: ParseItem): Parsed {
  const shape = findShapeProblem(text);
  if (shape !== undefined) return { kind: 'notice', notice: { file, ...shape } };
  try {
    return { kind: 'document', document: extractDocument(file, text) };
  } catch (error) {
    const reason = error instanceof RangeError ? 'nesting too deep' : error instanceof Error ? error.message : String(error);
    return { kind: 'notice', notice: { kind: 'unparsable', file, message: `Cannot parse markdown (${reason}); file skipped` } };
  }
}

/** The documents among `outcomes`, in order. */
export function documentsOf(outcomes: readonly (Parsed | undefined)[]): Document[] {
  return outcomes.flatMap((outcome) => (outcome?.kind === 'document' ? [outcome.document] : []));
}
