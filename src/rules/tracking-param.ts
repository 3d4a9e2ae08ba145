import { compilePattern, type UrlPattern } from '../config/pattern.js';
import type { Edit, Link, LinkSyntax } from '../types.js';
import { defineRule } from './rule.js';
import { cleanUrl, parseUrl } from './tracking/clean.js';
import { redirectWrappers, trackingProviders } from './tracking/table.js';
import { unwrapUrl } from './tracking/unwrap.js';

/** References take their URL from a definition, which is reported instead. */
const referenceSyntaxes: ReadonlySet<LinkSyntax> = new Set(['full', 'collapsed', 'shortcut']);

/** What the rule says about one URL: nothing, or the message and the cleaned URL. */
type Verdict = { readonly message: string; readonly url: string } | null;

/**
 * Per `allowTracking` list (so once per run): the list compiled, and the verdict per URL, since a
 * list links the same URL from many lines and files.
 */
const runStates = new WeakMap<readonly string[], { readonly allowed: readonly UrlPattern[]; readonly verdicts: Map<string, Verdict> }>();

/**
 * Flags external URLs that carry tracking parameters or go through a tracking redirect wrapper,
 * with the cleaned (unwrapped) URL as hint and fix.
 */
export const trackingParam = defineRule({
  id: 'tracking-param',
  description: 'External URLs carry no tracking parameters',
  severity: 'warning',
  run({ resolved, config }, emit) {
    const { allowed, verdicts } = runState(config.allowTracking);
    for (const { link, target } of resolved) {
      if (target.kind !== 'external' || referenceSyntaxes.has(link.syntax)) continue;
      let verdict = verdicts.get(link.url);
      if (verdict === undefined) {
        verdict = allowed.some((pattern) => pattern.test(link.url)) ? null : verdictOf(link.url);
        verdicts.set(link.url, verdict);
      }
      if (verdict === null) continue;
      const fix = fixFor(link, verdict.url);
      const hint = `use \`${verdict.url}\``;
      emit(link, verdict.message, fix === undefined ? { hint } : { hint, fix });
    }
  },
});

/** The URL unwrapped and cleaned, with the message saying what was taken off; `null` when it is clean. */
function verdictOf(written: string): Verdict {
  const parsed = parseUrl(written);
  const unwrapped = unwrapUrl(written, redirectWrappers, parsed);
  const { url, removed } = unwrapped === undefined ? cleanUrl(written, trackingProviders, parsed) : cleanUrl(unwrapped.url);
  if (removed.length === 0 && unwrapped === undefined) return null;
  return { url, message: unwrapped === undefined ? trackingMessage(removed) : wrapperMessage(unwrapped.wrapper, removed) };
}

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

/** The run's state for an `allowTracking` list; a pattern that is not a valid expression is skipped, never thrown. */
function runState(sources: readonly string[]): { readonly allowed: readonly UrlPattern[]; readonly verdicts: Map<string, Verdict> } {
  const cached = runStates.get(sources);
  if (cached !== undefined) return cached;
  const compiled: UrlPattern[] = [];
  for (const source of sources) {
    try {
      compiled.push(compilePattern(source));
    } catch {
      // An invalid expression matches nothing rather than stopping the run.
    }
  }
  const state = { allowed: compiled, verdicts: new Map<string, Verdict>() };
  runStates.set(sources, state);
  return state;
}
