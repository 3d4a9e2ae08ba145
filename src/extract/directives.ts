/**
 * Inline control comments: `<!-- waymark-disable-next-line dead-link -->` and friends.
 */
import type { Directive } from '../types.js';

const KINDS: readonly Directive['kind'][] = ['disable-next-line', 'disable-line', 'disable', 'enable'];

/**
 * The kind and rule ids of an HTML comment's body (between `<!--` and `-->`), if it is a directive.
 *
 * Rule ids are separated by spaces or commas; no id means every rule. Text after ` -- ` is a
 * free-form reason and is ignored.
 */
export function parseDirective(body: string): Pick<Directive, 'kind' | 'rules'> | undefined {
  const trimmed = body.trim();
  if (!trimmed.startsWith('waymark-')) return undefined;
  const [keyword = '', ...words] = trimmed.split(/\s+/);
  const kind = KINDS.find((candidate) => keyword === `waymark-${candidate}`);
  if (kind === undefined) return undefined;
  const reason = words.indexOf('--');
  const ids = reason < 0 ? words : words.slice(0, reason);
  return { kind, rules: ids.flatMap((word) => word.split(',')).filter((id) => id !== '') };
}
