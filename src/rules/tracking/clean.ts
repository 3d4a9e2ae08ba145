/**
 * Removes tracking parameters from a URL without re-serialising it: the result is the input with
 * the tracking parts cut out, byte for byte, so percent-encoding, `+`, order and fragment survive.
 */
import { assertNever } from '../../types.js';
import { trackingProviders } from './table.js';
import type { HostPattern, TrackingProvider } from './table.js';

/** A cleaned URL and what was taken out of it. */
export interface CleanResult {
  /** The URL without its tracking parts; the input itself when nothing was removed. */
  readonly url: string;
  /** Removed parameter names (percent-decoded) and path segments (`ref=sr_1_1`), in order, each once. */
  readonly removed: readonly string[];
}

const httpPrefix = /^https?:\/\//i;

/**
 * Cleans an `http(s)` URL; any other scheme, a relative link or a malformed URL comes back unchanged.
 *
 * @param providers The provider table to apply; defaults to the built-in one.
 * @param parsed `url` already parsed, when the caller has it (a URL is parsed once per rule run).
 */
export function cleanUrl(url: string, providers: readonly TrackingProvider[] = trackingProviders, parsed?: URL): CleanResult {
  const unchanged: CleanResult = { url, removed: [] };
  const prefix = httpPrefix.exec(url);
  const host = prefix === null ? undefined : hostOf(parsed ?? parseUrl(url));
  if (prefix === null || host === undefined) return unchanged;
  const matching = providers.filter((provider) => hostMatches(provider.host, host));
  if (matching.length === 0) return unchanged;

  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const head = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeHash.slice(queryAt + 1);

  const removed: string[] = [];
  const cleanHead = stripSegments(head, prefix[0].length, matching, removed);
  const cleanQuery = query === undefined ? '' : stripParams(query, matching, removed);
  if (removed.length === 0) return unchanged;
  return { url: cleanHead + cleanQuery + fragment, removed: [...new Set(removed)] };
}

/** `url` parsed, or `undefined` when it does not parse. */
export function parseUrl(url: string): URL | undefined {
  return URL.canParse(url) ? new URL(url) : undefined;
}

/** An `http(s)` URL's host name, lowercased without a trailing dot; `undefined` for any other URL. */
export function hostOf(parsed: URL | undefined): string | undefined {
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return undefined;
  return parsed.hostname.toLowerCase().replace(/\.$/, '');
}

/** Whether a provider's host pattern covers `host`. */
export function hostMatches(pattern: HostPattern, host: string): boolean {
  switch (pattern.kind) {
    case 'any':
      return true;
    case 'exact':
      return pattern.hosts.includes(host);
    case 'domain':
      return pattern.domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
    case 'regexp':
      return pattern.pattern.test(host);
    default:
      return assertNever(pattern);
  }
}

/** Whether `name` equals one of `patterns` or starts with one ending in `*`. */
function nameMatches(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );
}

/** Whether a parameter is tracking on these hosts: some provider lists it and none needs it kept. */
function isTracking(name: string, providers: readonly TrackingProvider[]): boolean {
  if (providers.some((provider) => nameMatches(provider.keep ?? [], name))) return false;
  return providers.some((provider) => nameMatches(provider.params, name));
}

/** Drops tracking path segments from `head` (scheme, authority and path), recording them in `removed`. */
function stripSegments(
  head: string,
  authorityAt: number,
  providers: readonly TrackingProvider[],
  removed: string[],
): string {
  const patterns = providers.flatMap((provider) => provider.pathSegments ?? []);
  const pathAt = head.indexOf('/', authorityAt);
  if (patterns.length === 0 || pathAt === -1) return head;
  const [root = '', ...segments] = head.slice(pathAt).split('/');
  const kept = [root];
  for (const segment of segments) {
    if (patterns.some((pattern) => pattern.test(segment))) removed.push(segment);
    else kept.push(segment);
  }
  if (kept.length === segments.length + 1) return head;
  // A path that loses its only segment keeps its leading slash: `/ref=nav_logo` becomes `/`.
  const path = kept.length === 1 ? '/' : kept.join('/');
  return head.slice(0, pathAt) + path;
}

/**
 * Drops tracking parameters from `query` (without its `?`), recording their names in `removed`.
 * Returns the new query with its `?`, or `''` when no parameter is left.
 */
function stripParams(query: string, providers: readonly TrackingProvider[], removed: string[]): string {
  const kept: string[] = [];
  let dropped = false;
  for (const pair of query.split('&')) {
    const name = pair === '' ? '' : decodeName(pair.split('=', 1)[0] ?? '');
    if (name !== '' && isTracking(name, providers)) {
      removed.push(name);
      dropped = true;
    } else {
      kept.push(pair);
    }
  }
  if (!dropped) return `?${query}`;
  return kept.every((pair) => pair === '') ? '' : `?${kept.join('&')}`;
}

/** Decodes a parameter name the way a server reads it (`+` is a space); malformed escapes stay as written. */
function decodeName(raw: string): string {
  const spaced = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
