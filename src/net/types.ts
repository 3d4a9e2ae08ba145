/**
 * Types of the HTTP engine: its options, the result of checking one URL and the outcome of a
 * fragment check. The verdict itself is the shared {@link TargetStatus} union.
 */
import type { Config } from '../config/types.js';
import type { NetError, TargetStatus } from '../types.js';

/** The configuration keys the HTTP engine reads. */
export type NetConfig = Pick<
  Config,
  | 'concurrency'
  | 'hostConcurrency'
  | 'hosts'
  | 'connectTimeout'
  | 'headersTimeout'
  | 'timeout'
  | 'maxRedirects'
  | 'retries'
  | 'allowPrivate'
  | 'insecure'
>;

/** One address a host name resolves to. */
export interface LookupAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses; rejects with a DNS error (`ENOTFOUND`, `EAI_AGAIN`) when it cannot. */
export type Lookup = (hostname: string) => Promise<readonly LookupAddress[]>;

/** Decides whether an IP address (v4 or v6, without brackets) must never be fetched. */
export type IsPrivate = (address: string) => boolean;

/** Why a fragment could not be checked although the page itself answered. */
export type FragmentUnverifiableReason =
  | 'not-html' // the response is not HTML
  | 'client-rendered' // the page builds its content with scripts
  | 'too-large' // not found in the first bytes read (the body cap)
  | 'body-error'; // the body could not be read to the end (timeout, reset)

/** The outcome of looking for one fragment in a fetched page. */
export type FragmentStatus =
  | { readonly kind: 'found' }
  | { readonly kind: 'missing'; readonly suggestion?: string }
  | { readonly kind: 'unverifiable'; readonly reason: FragmentUnverifiableReason; readonly error?: NetError };

/** The result of checking one unique URL. */
export interface UrlResult {
  /** The normalised URL that was requested, without its fragment. */
  readonly url: string;
  readonly status: TargetStatus;
  /**
   * One entry per fragment asked about, keyed by the fragment as given (without `#`). Empty when
   * no fragment was asked about or the page itself did not answer with a success.
   */
  readonly fragments: ReadonlyMap<string, FragmentStatus>;
  /** Milliseconds from the first request to the verdict (0 for a cached result). */
  readonly durationMs: number;
  /** HTTP requests sent for this URL, redirects and retries included (0 for a cached result). */
  readonly requests: number;
  /** True when the result came from the cache. */
  readonly cached: boolean;
  /** The failure behind an `unverifiable` verdict, when there is one (the TLS error). */
  readonly error?: NetError;
}

/** A URL to check, as linked: `url` may still carry a fragment; `fragment` (without `#`) adds one. */
export interface UrlRequest {
  readonly url: string;
  readonly fragment?: string;
}

/** Reported after every HTTP request, for `--verbose` logging. */
export interface RequestEvent {
  readonly method: 'HEAD' | 'GET';
  readonly url: string;
  /** The response status, when there was a response. */
  readonly status?: number;
  /** The failure, when there was no response. */
  readonly error?: NetError;
  readonly durationMs: number;
}
