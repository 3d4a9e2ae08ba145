import type { Config } from '../config/types.js';
import type { CheckUrlsOptions, UrlResult } from '../net/index.js';
import { isIpHostname } from '../net/url.js';
import { twinKey } from '../plan/url-key.js';
import type { LinkTarget } from '../types.js';

/** Why external links were not checked, when they were not. */
export type OfflineReason = 'requested' | 'unreachable';

/** The engine options a caller (a test, the CLI) may set besides the config. */
export type NetOverrides = Partial<Omit<CheckUrlsOptions, 'config' | 'userAgent' | 'cache'>> & {
  /** Called once with the unique URLs about to be checked (progress). */
  readonly onPlan?: (urls: readonly string[]) => void;
  /** Called once per unique URL as its result arrives (progress). */
  readonly onResult?: (result: UrlResult) => void;
  /** Told, in one line, when the result cache cannot be used or written (`file` is absolute). */
  readonly onCacheWarning?: (message: string, file: string) => void;
};

/** What checking a run's external targets gave. */
export interface ExternalResults {
  /** Results by the targets' keys. */
  readonly results: ReadonlyMap<string, UrlResult>;
  /** For a working `http://` URL, by its key: the result of its `https://` twin. */
  readonly twins: ReadonlyMap<string, UrlResult>;
  /** Unique URLs (fragment stripped, normalised) that the links point at. */
  readonly unique: number;
  readonly offline?: OfflineReason;
  /** GitHub URLs fetched from github.com's pages that a `GITHUB_TOKEN` would have had verified by the API. */
  readonly withoutToken?: readonly string[];
}

/** Everything needed to check the external targets of a run. */
export interface ExternalOptions {
  readonly config: Config;
  readonly version: string;
  /** Named in the User-Agent so site owners can look the checker up. */
  readonly homepage?: string;
  /** Where the cache lives when `config.cache` is on. */
  readonly cachePath: string;
  readonly net?: NetOverrides;
}

/**
 * Checks every unique external URL once through the HTTP engine. An `http://` URL whose page
 * works without moving to `https://` gets a second, separate check of its `https://` twin, so
 * the `insecure-link` rule can tell whether the secure URL works.
 */
export async function checkExternal(targets: readonly LinkTarget[], options: ExternalOptions): Promise<ExternalResults> {
  // One entry per link; the engine joins those of one key.
  const planned = targets.flatMap((target) =>
    target.kind === 'external' ? [{ key: target.key, fragments: target.fragment === undefined ? [] : [target.fragment] }] : [],
  );
  const keys = [...new Set(planned.map((url) => url.key))];
  const unique = keys.length;
  if (planned.length === 0) return { results: new Map(), twins: new Map(), unique };
  if (options.config.offline) return { results: new Map(), twins: new Map(), unique, offline: 'requested' };
  options.net?.onPlan?.(keys);
  // The engine (undici and friends) loads only when some URL is really going to be fetched.
  const { checkUrls, defaultUserAgent, openCache } = await import('../net/index.js');
  const cache = options.config.cache
    ? await openCache({
        path: options.cachePath,
        maxAge: options.config.maxCacheAge,
        ...(options.net?.onCacheWarning === undefined ? {} : { onWarning: options.net.onCacheWarning }),
      })
    : undefined;
  const { onPlan: _onPlan, onResult: _onResult, onCacheWarning: _onCacheWarning, ...net } = options.net ?? {};
  const engine: CheckUrlsOptions = {
    ...net,
    config: options.config,
    userAgent: defaultUserAgent(options.version, options.homepage),
    ...(cache === undefined ? {} : { cache }),
  };
  const budget = options.config.budget === undefined ? {} : { budget: options.config.budget };
  const first = await checkUrls(planned, { ...engine, ...budget }, options.net?.onResult);
  if (first.offline) return { results: first.results, twins: new Map(), unique, offline: 'unreachable' };
  const withoutToken = first.withoutToken === undefined ? {} : { withoutToken: first.withoutToken };
  // Each working `http://` URL's twin, by the http URL's key: the rules look it up by the key they carry.
  const twinOf = new Map(
    [...first.results.values()].flatMap((result) => {
      const twin = secureTwin(result);
      return twin === undefined ? [] : [[result.url, twin] as const];
    }),
  );
  if (twinOf.size === 0) return { results: first.results, twins: new Map(), unique, ...withoutToken };
  const second = await checkUrls([...new Set(twinOf.values())].map((key) => ({ key })), engine);
  const twins = new Map(
    [...twinOf].flatMap(([key, twin]) => {
      const result = second.results.get(twin);
      return result === undefined ? [] : [[key, result] as const];
    }),
  );
  return { results: first.results, twins, unique, ...withoutToken };
}

/** The `https://` form of a working `http://` URL on a named host that did not already redirect to `https://`. */
export function secureTwin(result: UrlResult): string | undefined {
  // An API's verdict says nothing about the scheme the page is served on.
  if (result.status.kind !== 'ok' || result.provider?.isVerdict === true) return undefined;
  const parsed = URL.canParse(result.url) ? new URL(result.url) : undefined;
  if (parsed?.protocol !== 'http:' || isIpHostname(parsed.hostname) || parsed.hostname === 'localhost') return undefined;
  if (result.status.redirects.some((hop) => hop.to.startsWith('https:'))) return undefined;
  return twinKey(result.url);
}
