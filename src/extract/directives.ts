/**
 * Inline control comments: `<!-- waymark-disable-next-line dead-link -->` and friends.
 */
import type { Directive } from '../types.js';

const DIRECTIVE = /^waymark-(disable-next-line|disable-line|disable|enable)(?=\s|$)/;

/** The kind and rule ids of an HTML comment's body (between `<!--` and `-->`), if it is a directive. */
export function parseDirective(body: string): Pick<Directive, 'kind' | 'rules'> | undefined {
  const trimmed = body.trim();
  const match = DIRECTIVE.exec(trimmed);
  if (match === null) return undefined;
  const kind = match[1] as Directive['kind'];
  // Anything after a ` -- ` is a free-form reason, not a rule id.
  const rest = trimmed.slice(match[0].length).split(/\s--(?:\s|$)/)[0] ?? '';
  const rules = rest.split(/[\s,]+/).filter((id) => id !== '');
  return { kind, rules };
}
