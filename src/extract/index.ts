/**
 * The extract stage: markdown text → links, anchors, headings, undefined references, directives.
 *
 * `extractDocument` parses a file once and walks it once. `slugify` and `createSlugger` expose
 * the GitHub heading slugger it uses, for stages that compare headings with links (a table of
 * contents, "did you mean" hints): use one `createSlugger()` per document so repeated headings
 * get `-1`, `-2` exactly as in the extracted anchors.
 */
export { extractDocument } from './document.js';
export type { HeadingSlugger } from './slug.js';
export { createSlugger, slugify } from './slug.js';
