import type { ProviderName, RuleId, RuleLevel } from '../types.js';

/** The values `failOn` takes, from the least to the most strict. */
export const failOnLevels = ['error', 'unverifiable', 'warning'] as const;

/** Which findings fail a run: `error`, `unverifiable` (errors and unverifiable links) or `warning` (any). */
export type FailOn = (typeof failOnLevels)[number];

/** Per-host overrides for the HTTP engine. */
export interface HostConfig {
  /** Most requests in flight to this host at once. */
  readonly concurrency?: number;
}

/** Settings of one provider (see src/net/providers/). */
export interface ProviderConfig {
  /** The API's base URL, for GitHub Enterprise, a registry mirror or a test server. */
  readonly url?: string;
}

/** The resolved configuration: defaults, then the config file, then flags. */
export interface Config {
  /** Level per rule id; a rule not named keeps its default severity. */
  readonly rules: Readonly<Partial<Record<RuleId, RuleLevel>>>;
  /** Globs of files (relative to the root) never collected. */
  readonly exclude: readonly string[];
  /** Regular expressions (source text) of URLs that are never checked. */
  readonly ignoreUrls: readonly string[];
  /** Regular expressions (source text) of URLs whose tracking parameters are kept on purpose (sponsor links). */
  readonly allowTracking: readonly string[];
  /** `owner/name` of this repository on GitHub, for links to its own files. */
  readonly repository?: string;
  /** The repository's default branch; links to `blob|tree/<defaultBranch>/…` are checked as local files. */
  readonly defaultBranch?: string;
  /**
   * The repository root (absolute once loaded): no relative link may climb above it, and a link
   * starting with `/` starts here. Without it, the nearest directory holding `.git` is used.
   */
  readonly root?: string;
  /** Never touch the network: external links are counted as not checked. */
  readonly offline: boolean;
  /** Most requests in flight overall. */
  readonly concurrency: number;
  /** Most requests in flight to one host. */
  readonly hostConcurrency: number;
  /** Per-host overrides, keyed by host name. */
  readonly hosts: Readonly<Record<string, HostConfig>>;
  /** Per-provider settings, keyed by provider name (absent: every provider at its default URL). */
  readonly providers?: Readonly<Partial<Record<ProviderName, ProviderConfig>>>;
  /** Milliseconds to wait for a connection. */
  readonly connectTimeout: number;
  /** Milliseconds to wait for response headers. */
  readonly headersTimeout: number;
  /** Milliseconds a whole request may take, body included. */
  readonly timeout: number;
  /** Most redirects followed for one URL. */
  readonly maxRedirects: number;
  /** Retries for network errors and 5xx responses. */
  readonly retries: number;
  /**
   * Milliseconds after a weak failure (timeout, reset, 5xx, 429 past the wait cap) before its URL
   * is checked once more (while the rest of the run goes on).
   */
  readonly recheckDelay: number;
  /** Which findings make the exit code 1: errors (default), errors and unverifiable links, or any finding. */
  readonly failOn: FailOn;
  /** Fetch loopback, private and link-local addresses too. */
  readonly allowPrivate: boolean;
  /** Accept invalid TLS certificates. */
  readonly insecure: boolean;
  /**
   * The proxy external URLs go through (both schemes; `NO_PROXY` still applies), or `false` to
   * ignore `HTTPS_PROXY`/`HTTP_PROXY`. Unset: the environment decides.
   */
  readonly proxy?: string | false;
  /** Exit 1 when the network is unreachable. */
  readonly requireNetwork: boolean;
  /** Keep results in `.waymark/cache.json`. */
  readonly cache: boolean;
  /** Keep what extraction gave per file in `.waymark/parse-cache/`, so unchanged files are not parsed again. */
  readonly parseCache: boolean;
  /** Seconds a cached success stays fresh (failures at most an hour). */
  readonly maxCacheAge: number;
  /** Link texts `link-text` reports, compared without case, punctuation or extra spaces. */
  readonly nonDescriptiveText: readonly string[];
  /** Most external URLs checked this run, least recently verified first (needs `cache`). */
  readonly budget?: number;
}
