/**
 * What checking an external URL can give: the engine's verdicts and their closed lists, each one
 * const array from which the type and the result cache's schema are both made. Re-exported by
 * `types.ts`; no layer needs to import this file directly.
 */

/**
 * The kinds of network failure Waymark tells apart: the one list, which the result cache's
 * schema and the type are both made from.
 */
export const netErrorKinds = [
  'dns',
  'refused',
  'reset',
  'connect-timeout',
  'response-timeout',
  'tls',
  'redirect-loop',
  'too-many-redirects',
  'body-too-large',
  'proxy-unreachable',
  'proxy-refused',
  'unknown',
] as const;

/** One of {@link netErrorKinds}. */
export type NetErrorKind = (typeof netErrorKinds)[number];

/** A classified network failure: a short text and, apart from it, a hint saying what to do. */
export interface NetError {
  readonly kind: NetErrorKind;
  readonly code?: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * Why an external target could not be given a verdict from a response (the ones the cache keeps):
 * `blocked` is a known bot wall (see src/net/walls.ts), `inconclusive` a weak failure (a timeout,
 * a reset, a 5xx) that came back when the URL was checked again.
 */
export const responseUnverifiableReasons = [
  'auth-required',
  'blocked',
  'rate-limited',
  'inconclusive',
  'tls',
  'unsupported-scheme',
] as const;

/**
 * Why an external target was never tried: the network is unreachable (`offline`), it resolves to
 * a guarded address (`private-address`), or `--budget` left it for a later run (`budget`).
 */
export const untriedReasons = ['offline', 'private-address', 'budget'] as const;

/** Why an external target could not be given a verdict: from a response, or without trying. */
export type UnverifiableReason = (typeof responseUnverifiableReasons)[number] | (typeof untriedReasons)[number];

/** Whether a status says the URL was never tried (see {@link untriedReasons}): counted, not reported, not cached. */
export function isUntried(status: TargetStatus): status is Extract<TargetStatus, { kind: 'unverifiable' }> & {
  readonly reason: (typeof untriedReasons)[number];
} {
  return status.kind === 'unverifiable' && (untriedReasons as readonly string[]).includes(status.reason);
}

/**
 * A failure that does not prove a link dead, since it may pass by itself: a 5xx or a 429 (`http`),
 * or a lost connection, a timeout or a name server that did not answer (`net`).
 */
export type WeakFailure =
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'net'; readonly error: NetError };

/** What the first bytes of a page said: its `<title>` and its first `<h1>`, when it has them. */
export interface PageHead {
  readonly title?: string;
  readonly heading?: string;
}

/**
 * The outcome of checking one unique external URL. `http-error` and `net-error` that come out of
 * a whole run (`checkUrls`) are strong signals or answers that are not weak failures; a weak
 * failure seen twice is `unverifiable` with reason `inconclusive` instead.
 */
export type TargetStatus =
  | {
      readonly kind: 'ok';
      readonly status: number;
      readonly redirects: readonly Redirect[];
      /** The page's title and heading, when its body was read. */
      readonly page?: PageHead;
    }
  | { readonly kind: 'http-error'; readonly status: number; readonly redirects: readonly Redirect[] }
  | { readonly kind: 'net-error'; readonly error: NetError; readonly redirects: readonly Redirect[] }
  | {
      readonly kind: 'unverifiable';
      readonly reason: UnverifiableReason;
      readonly status?: number;
      /** With reason `blocked`: the wall's name, as in "blocked by a Cloudflare challenge". */
      readonly wall?: string;
      /** With reason `inconclusive`: the failure of the first check, then that of the re-check. */
      readonly failures?: readonly WeakFailure[];
    };

/** Why a fragment could not be checked although the page itself answered. */
export const fragmentUnverifiableReasons = [
  'not-html', // the response is not HTML
  'client-rendered', // the page builds its content with scripts
  'too-large', // not found in the first bytes read (the body cap)
  'body-error', // the body could not be read to the end (timeout, reset)
] as const;

/** One of {@link fragmentUnverifiableReasons}. */
export type FragmentUnverifiableReason = (typeof fragmentUnverifiableReasons)[number];

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
  /** What an official API said about the URL, when a provider asked one (see src/net/providers/). */
  readonly provider?: ProviderFacts;
}

/**
 * The services whose official API verifies their links instead of a request to the page: the one
 * list, which the config keys (`providers.<name>.url`), the result cache and the docs follow.
 */
export const providerNames = ['github', 'npm', 'youtube', 'stackexchange'] as const;

/** One of {@link providerNames}. */
export type ProviderName = (typeof providerNames)[number];

/** What a provider's API said about a linked URL. */
export interface ProviderFacts {
  readonly name: ProviderName;
  /**
   * Whether the result's `status` is the API's verdict. False when the page itself was fetched
   * (a deep link into a GitHub repository that exists) and the API only added facts.
   */
  readonly isVerdict: boolean;
  /** The API's own HTTP status, when it is not 200 (oEmbed's 400, 401, 403, a redirect). */
  readonly apiStatus?: number;
  /** GitHub: the repository is archived (read-only). */
  readonly archived?: boolean;
}

/** One hop of a redirect chain. */
export interface Redirect {
  readonly status: number;
  readonly from: string;
  readonly to: string;
}
