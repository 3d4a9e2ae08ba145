import { compilePattern, type UrlPattern } from '../config/pattern.js';
import type { Edit, Link, LinkSyntax } from '../types.js';
import { defineRule } from './rule.js';
import { cleanUrl } from './tracking/clean.js';
import { unwrapUrl } from './tracking/unwrap.js';

/** References take their URL from a definition, which is reported instead. */
const referenceSyntaxes: ReadonlySet<LinkSyntax> = new Set(['full', 'collapsed', 'shortcut']);

/** Compiled `allowTracking` lists, kept per config so each list is compiled once per run. */
const compiledAllowLists = new WeakMap<readonly string[], readonly UrlPattern[]>();

/**
 * Flags external URLs that carry tracking parameters or go through a tracking redirect wrapper,
 * with the cleaned (unwrapped) URL as hint and fix.
 */
export const trackingParam = defineRule({
  id: 'tracking-param',
  description: 'External URLs carry no tracking parameters',
  severity: 'warning',
  run({ resolved, config }, emit) {
    const allowed = compileAllowList(config.allowTracking);
    for (const { link, target } of resolved) {
      if (target.kind !== 'external' || referenceSyntaxes.has(link.syntax)) continue;
      if (allowed.some((pattern) => pattern.test(link.url))) continue;
      const unwrapped = unwrapUrl(link.url);
      const { url, removed } = cleanUrl(unwrapped?.url ?? link.url);
      if (removed.length === 0 && unwrapped === undefined) continue;
      const message = unwrapped === undefined ? trackingMessage(removed) : wrapperMessage(unwrapped.wrapper, removed);
      const fix = fixFor(link, url);
      const hint = `use \`${url}\``;
      emit(link, message, fix === undefined ? { hint } : { hint, fix });
    }
  },
});

/** The message naming every removed parameter. */
function trackingMessage(removed: readonly string[]): string {
  const names = removed.map((name) => `\`${name}\``).join(', ');
  return `Unexpected tracking ${removed.length === 1 ? 'parameter' : 'parameters'} ${names} in URL`;
}

/** The message for a URL wrapped in a tracking redirect, naming the wrapped URL's own tracking parameters too. */
function wrapperMessage(wrapper: string, removed: readonly string[]): string {
  const names = removed.map((name) => `\`${name}\``).join(', ');
  const also = removed.length === 0 ? '' : ` (whose URL has tracking ${removed.length === 1 ? 'parameter' : 'parameters'} ${names})`;
  return `Unexpected tracking redirect through \`${wrapper}\`${also}`;
}

/**
 * Replaces the destination as written with the cleaned URL. Only offered when the written text is
 * the URL itself: a destination written with escapes, entities or angle brackets is longer than its
 * URL, and a GFM `www.` literal is the URL without its `http://`.
 */
function fixFor(link: Link, cleaned: string): Edit | undefined {
  if (link.urlRange === undefined) return undefined;
  const start = link.urlRange.start.offset;
  const end = link.urlRange.end.offset;
  if (end - start === link.url.length) return { start, end, text: cleaned };
  const implied = 'http://';
  const isBareWww =
    link.syntax === 'literal' &&
    link.url.startsWith(implied) &&
    cleaned.startsWith(implied) &&
    end - start === link.url.length - implied.length;
  return isBareWww ? { start, end, text: cleaned.slice(implied.length) } : undefined;
}

/** Compiles `allowTracking` patterns; one that is not a valid expression is skipped, never thrown. */
function compileAllowList(sources: readonly string[]): readonly UrlPattern[] {
  const cached = compiledAllowLists.get(sources);
  if (cached !== undefined) return cached;
  const compiled: UrlPattern[] = [];
  for (const source of sources) {
    try {
      compiled.push(compilePattern(source));
    } catch {
      // An invalid expression matches nothing rather than stopping the run.
    }
  }
  compiledAllowLists.set(sources, compiled);
  return compiled;
}
