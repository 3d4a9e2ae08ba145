/**
 * The extract stage: markdown text → links, anchors, headings, undefined references, directives.
 */
export { extractDocument } from './document.js';
export type { HeadingSlugger } from './slug.js';
export { createSlugger, slugify } from './slug.js';
