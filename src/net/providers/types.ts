/**
 * What a provider is: one service whose links are verified through its official API instead of a
 * request to the page. Each provider takes the URLs it knows (`claim`), says what it would ask
 * (`describe`, for `waymark explain`) and answers a whole batch of claims at once (`verify`).
 */
import type { ProviderFacts, ProviderName, TargetStatus } from '../../types.js';
import type { SendApi } from './request.js';

/** A URL a provider took, with what the provider needs to know about it. */
export interface Claim<S> {
  /** The normalised URL, as the results are keyed. */
  readonly key: string;
  readonly subject: S;
}

/** What a provider makes of one claimed URL. */
export type ProviderAnswer =
  /** The API's verdict stands for the URL; the page is never fetched. */
  | { readonly kind: 'verdict'; readonly status: TargetStatus; readonly facts: ProviderFacts }
  /** The page is fetched as usual (the API could not say, or the link goes deeper than it sees); `facts` ride along. */
  | { readonly kind: 'fetch'; readonly facts?: ProviderFacts };

/** What a batch gave: one answer per claim, in order, and the API requests it took. */
export interface BatchAnswer {
  readonly answers: readonly ProviderAnswer[];
  readonly requests: number;
}

/** What a provider's `verify` may use. */
export interface ProviderApi {
  /** The API's base URL: the configured `providers.<name>.url`, else the provider's default. */
  readonly base: URL;
  /** `GITHUB_TOKEN`, for the providers that need one. */
  readonly token?: string;
  readonly send: SendApi;
  readonly now: () => number;
  readonly delay: (ms: number) => Promise<void>;
  /** The longest wait (for a rate-limit reset, a `backoff`) worth making in one run, in ms. */
  readonly waitCap: number;
}

/** The request a provider would send for one URL, in words for `waymark explain`. */
export interface PlannedRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: string;
  /** What the request asks, when the URL alone does not say (a GraphQL query). */
  readonly detail?: string;
}

/** One provider. `S` is what it reads from a URL (a repository, a package name, a video id). */
export interface Provider<S> {
  readonly name: ProviderName;
  /** A few words for `waymark explain`: `GitHub GraphQL API`. */
  readonly title: string;
  /** The API's base URL when `providers.<name>.url` is not set. */
  readonly defaultUrl: string;
  /** Requests in flight to the API's host at once (a `hosts` entry for it wins). */
  readonly concurrency: number;
  /** Whether it works only with `GITHUB_TOKEN`. */
  readonly needsToken: boolean;
  /**
   * What the provider reads from a URL, or undefined when it leaves the URL to normal fetching.
   * `fragments` are the ones the page must be searched for (trivial ones left out).
   */
  claim(url: URL, fragments: readonly string[]): S | undefined;
  /** The request `verify` would send for this subject alone. */
  describe(subject: S, base: URL): PlannedRequest;
  /** Answers every claim of a batch, in order; never rejects for an API failure (it answers `fetch`). */
  verify(claims: readonly Claim<S>[], api: ProviderApi): Promise<BatchAnswer>;
}

/** `fetch` for every claim: what a provider answers when its API cannot help. */
export function fetchAll(count: number): ProviderAnswer[] {
  return Array.from({ length: count }, () => ({ kind: 'fetch' }) as const);
}

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
