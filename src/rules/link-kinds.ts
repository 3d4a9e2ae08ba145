import type { Link } from '../types.js';

/**
 * Whether a link uses a reference (`[text][label]`, `[label][]`, `[label]`): its URL lives in a
 * definition, which rules about the URL report on instead, once.
 */
export function isReference(link: Link): boolean {
  return link.syntax === 'full' || link.syntax === 'collapsed' || link.syntax === 'shortcut';
}
