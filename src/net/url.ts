import { isIP } from 'node:net';

/**
 * URL normalisation for deduplication: one request per unique URL, whatever fragment each link adds.
 */

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
 * Normalises a URL for deduplication: the WHATWG parser lowercases the scheme and host, drops a
 * default port and resolves dot segments; the fragment and any credentials are removed.
 */
export function urlKey(url: string): UrlKey {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const hash = url.indexOf('#');
    return hash === -1 ? { key: url } : { key: url.slice(0, hash), fragment: url.slice(hash + 1) };
  }
  const hash = url.indexOf('#');
  // Keep the fragment as written (the parser re-encodes some characters).
  const fragment = hash === -1 ? undefined : url.slice(hash + 1);
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  return { key: parsed.href, parsed, ...(fragment === undefined ? {} : { fragment }) };
}

/**
 * The key of a URL's `https://` twin: the same URL with the secure scheme, normalised as the URL
 * parser does (so `http://host:443/` and `http://host/` both have `https://host/`). The one place
 * the twin is derived: the engine checks it by this key and the rules look it up by it.
 */
export function twinKey(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') return undefined;
  parsed.protocol = 'https:';
  parsed.hash = '';
  return parsed.href;
}

/** Whether a URL's host name is an IP address (IPv6 in brackets or not) rather than a name. */
export function isIpHostname(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

/** Names that only ever mean this machine or its own network (RFC 6761, RFC 6762, RFC 8375). */
export function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return ['localhost', 'local', 'home.arpa', 'internal'].some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}
