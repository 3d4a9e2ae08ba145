/** Takes the real URL out of a redirect wrapper (`https://www.google.com/url?q=<target>`). */
import { hostMatches, hostOf, parseUrl } from './clean.js';
import { redirectWrappers, type RedirectWrapper } from './table.js';

/** A wrapped URL and the wrapper it came out of. */
export interface Unwrapped {
  /** The wrapped `http(s)` URL, decoded from its parameter. */
  readonly url: string;
  /** The wrapper as `host/path`, for messages (`www.google.com/url`). */
  readonly wrapper: string;
}

/** How many wrappers inside each other are taken off at most. */
const maxDepth = 5;

/**
 * The URL a redirect wrapper sends the reader to, or `undefined` when `url` is no wrapper (or
 * its parameter holds no absolute `http(s)` URL). Wrappers inside wrappers are all taken off.
 */
export function unwrapUrl(
  url: string,
  wrappers: readonly RedirectWrapper[] = redirectWrappers,
  parsed: URL | undefined = parseUrl(url),
): Unwrapped | undefined {
  let result: Unwrapped | undefined;
  let current = url;
  for (let depth = 0; depth < maxDepth; depth++) {
    const next = unwrapOnce(current, wrappers, depth === 0 ? parsed : parseUrl(current));
    if (next === undefined) break;
    result = { url: next.url, wrapper: result?.wrapper ?? next.wrapper };
    current = next.url;
  }
  return result;
}

function unwrapOnce(url: string, wrappers: readonly RedirectWrapper[], parsed: URL | undefined): Unwrapped | undefined {
  // Every wrapper carries its target in a query parameter.
  if (!/^https?:\/\//i.test(url) || parsed === undefined || parsed.search === '') return undefined;
  const host = hostOf(parsed);
  if (host === undefined) return undefined;
  for (const wrapper of wrappers) {
    if (!hostMatches(wrapper.host, host)) continue;
    if (wrapper.path !== undefined && !wrapper.path.test(parsed.pathname)) continue;
    for (const name of wrapper.params) {
      const value = parsed.searchParams.get(name)?.trim();
      if (value !== undefined && /^https?:\/\/[^/?#]/i.test(value) && URL.canParse(value)) {
        return { url: value, wrapper: `${host}${parsed.pathname === '/' ? '' : parsed.pathname}` };
      }
    }
  }
  return undefined;
}
