/**
 * A URL's identity: the key it is requested, cached and reported under. The plan stage computes it
 * once per link (see classify.ts); every later stage carries it.
 */
import type { PlannedUrl } from '../types.js';

/** A URL split into the key it is requested and cached under and the fragment it was linked with. */
export interface UrlKey {
  /** The normalised URL without fragment or credentials, or the input unchanged when it does not parse. */
  readonly key: string;
  /** The fragment without `#`, when there was one (possibly empty). */
  readonly fragment?: string;
  /** The parsed URL, when it parses. */
  readonly parsed?: URL;
}

/**
 * The key of a parsed URL: the WHATWG parser has lowercased the scheme and host, dropped a default
 * port and resolved dot segments; the fragment and any credentials go. Changes `parsed`.
 */
export function keyOf(parsed: URL): string {
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

/** Normalises a written URL for deduplication (see {@link keyOf}); the fragment is kept as written. */
export function urlKey(url: string): UrlKey {
  const hash = url.indexOf('#');
  // Keep the fragment as written (the parser re-encodes some characters).
  const fragment = hash === -1 ? undefined : url.slice(hash + 1);
  const withFragment = fragment === undefined ? {} : { fragment };
  if (!URL.canParse(url)) return { key: hash === -1 ? url : url.slice(0, hash), ...withFragment };
  const parsed = new URL(url);
  return { key: keyOf(parsed), parsed, ...withFragment };
}

/**
 * The key of a URL's `https://` twin: the same URL with the secure scheme, normalised as the URL
 * parser does (so `http://host:443/` and `http://host/` both have `https://host/`). The one place
 * the twin is derived.
 */
export function twinKey(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') return undefined;
  parsed.protocol = 'https:';
  return keyOf(parsed);
}

/** Groups planned URLs that share a key, joining their fragments (in first-seen order, without repeats). */
export function mergePlanned(planned: Iterable<PlannedUrl>): PlannedUrl[] {
  const byKey = new Map<string, Set<string>>();
  for (const { key, fragments } of planned) {
    const set = byKey.get(key) ?? new Set<string>();
    for (const fragment of fragments ?? []) set.add(fragment);
    byKey.set(key, set);
  }
  return [...byKey].map(([key, fragments]) => ({ key, fragments: [...fragments] }));
}

/**
 * Plans written URLs (a URL may carry a fragment, `fragment` adds one): one entry per key. For
 * callers that start from URLs rather than links (the library's engine API, `waymark explain`).
 */
export function planUrls(requests: Iterable<{ readonly url: string; readonly fragment?: string }>): PlannedUrl[] {
  return mergePlanned(
    [...requests].map(({ url, fragment: extra }) => {
      const { key, fragment } = urlKey(url);
      return { key, fragments: [...(fragment === undefined ? [] : [fragment]), ...(extra === undefined ? [] : [extra])] };
    }),
  );
}
