/**
 * Checks one URL: HEAD then GET when needed, retries, `Retry-After`, redirects followed by hand
 * (each hop through the guarded agent), and the verdict as a {@link TargetStatus}.
 */
import type { Dispatcher } from 'undici';
import type { NetError, PageHead, Redirect, TargetStatus } from '../types.js';
import { exchange, header, type Exchange } from './client.js';
import { classify, isRetryable, netError } from './errors.js';
import { createPageReader, matchFragment, type PageScan } from './fragments.js';
import { PrivateAddressError } from './guard.js';
import { backoff, parseRetryAfter } from './retry.js';
import type { Scheduler } from './scheduler.js';
import type { FragmentStatus, NetConfig, RequestEvent } from './types.js';
import { matchWall, mayNeedBody } from './walls.js';

/** Everything a check needs besides the URL. */
export interface ProbeContext {
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  readonly config: NetConfig;
  readonly userAgent: string;
  /** Longest `Retry-After` obeyed, in milliseconds; a longer one makes the URL `rate-limited`. */
  readonly retryAfterCap: number;
  /** Base of the exponential backoff between retries, in milliseconds. */
  readonly retryBase: number;
  /** Retries after a 429 (or a 503 with `Retry-After`), on top of `config.retries`. */
  readonly rateLimitRetries: number;
  /** Most body bytes read for fragment checks. */
  readonly maxBodyBytes: number;
  readonly now: () => number;
  readonly delay: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRequest?: (event: RequestEvent) => void;
  /** The first request's method when no fragment needs the body (default HEAD; a re-check uses GET). */
  readonly firstMethod?: 'HEAD' | 'GET';
  /** Told of every `Retry-After` a host sends with a 429 or 503, in milliseconds. */
  readonly onRetryAfter?: (hostname: string, ms: number) => void;
}

/**
 * Most bytes of a page read for its title and heading, or of a failed answer for a wall's page,
 * when no fragment needs the body.
 */
export const peekBytes = 64 * 1024;

/**
 * What one URL may still spend on waiting, across all its redirect hops and retries: `Retry-After`
 * waits and backoffs together stay within `retryAfterCap` (60 s by default), and at most
 * `rateLimitRetries` rate-limit waits happen in all.
 */
interface WaitBudget {
  remainingMs: number;
  rateLimits: number;
}

/** The verdict on one URL, with its fragments and the number of requests it took. */
export interface ProbeResult {
  readonly status: TargetStatus;
  readonly fragments: ReadonlyMap<string, FragmentStatus>;
  readonly requests: number;
  /** The failure behind an `unverifiable` verdict, when there is one (TLS). */
  readonly error?: NetError;
}

/**
 * HEAD answers that servers give when they mishandle HEAD itself; each is checked again with GET.
 * Any other answer to HEAD is the verdict (410 Gone, 401, 429 mean what they say), except that a
 * 5xx is retried, the first retry being a GET.
 */
const headDoubtfulStatuses = new Set([400, 403, 404, 405, 406, 501]);
/** Network failures on HEAD that GET may not hit (servers that drop HEAD); the GET counts as a retry. */
const headFallbackErrors = new Set<NetError['kind']>(['reset', 'unknown']);

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** The outcome of one URL hop, after fallbacks and retries. */
type HopOutcome =
  | { readonly kind: 'response'; readonly response: Exchange<PageScan> }
  | { readonly kind: 'error'; readonly error: NetError }
  | { readonly kind: 'private' }
  | { readonly kind: 'rate-limited'; readonly status: number };

/** One attempt: a response, an error, or a response that asks to come back later. */
type Attempt =
  | { readonly kind: 'response'; readonly response: Exchange<PageScan>; readonly waitMs?: number }
  | { readonly kind: 'error'; readonly error: unknown };

/** The title and heading a scanned page gave, if any. */
function headOf(scan: PageScan | undefined): PageHead | undefined {
  if (scan?.title === undefined && scan?.heading === undefined) return undefined;
  return { ...(scan.title === undefined ? {} : { title: scan.title }), ...(scan.heading === undefined ? {} : { heading: scan.heading }) };
}

/** Maps a final (non-redirect) answer onto a verdict: a known bot wall first, whatever its status. */
function verdict(url: URL, response: Exchange<PageScan>, redirects: readonly Redirect[]): TargetStatus {
  const { status, headers, body } = response;
  const wall = matchWall(url, status, headers, body);
  if (wall !== undefined) return { kind: 'unverifiable', reason: 'blocked', status, wall: wall.name };
  if (status >= 200 && status < 300) {
    const page = headOf(body);
    return page === undefined ? { kind: 'ok', status, redirects } : { kind: 'ok', status, redirects, page };
  }
  if (status === 401 || status === 407) return { kind: 'unverifiable', reason: 'auth-required', status };
  if (status === 429) return { kind: 'unverifiable', reason: 'rate-limited', status };
  return { kind: 'http-error', status, redirects };
}

/** Checks one URL (without fragment), looking for `fragments` in the page when there are any. */
export async function probe(url: URL, fragments: readonly string[], context: ProbeContext): Promise<ProbeResult> {
  const counter = { requests: 0 };
  const budget: WaitBudget = { remainingMs: context.retryAfterCap, rateLimits: 0 };
  const redirects: Redirect[] = [];
  const seen = new Set([url.href]);
  let current = url;
  for (;;) {
    const outcome = await fetchHop(current, fragments, context, counter, budget);
    const { requests } = counter;
    if (outcome.kind === 'private') {
      return { status: { kind: 'unverifiable', reason: 'private-address' }, fragments: new Map(), requests };
    }
    if (outcome.kind === 'rate-limited') {
      const status: TargetStatus = { kind: 'unverifiable', reason: 'rate-limited', status: outcome.status };
      return { status, fragments: new Map(), requests };
    }
    if (outcome.kind === 'error') {
      if (outcome.error.kind === 'tls') {
        return { status: { kind: 'unverifiable', reason: 'tls' }, fragments: new Map(), requests, error: outcome.error };
      }
      return { status: { kind: 'net-error', error: outcome.error, redirects }, fragments: new Map(), requests };
    }
    const { status, headers, body } = outcome.response;
    const location = header(headers, 'location');
    if (redirectStatuses.has(status) && location !== undefined) {
      const next = URL.canParse(location, current.href) ? new URL(location, current) : undefined;
      if (next === undefined) return { status: verdict(current, outcome.response, redirects), fragments: new Map(), requests };
      next.hash = '';
      redirects.push({ status, from: current.href, to: next.href });
      const failure = redirectFailure(next, seen, redirects, context.config.maxRedirects);
      if (failure !== undefined) return { status: failure, fragments: new Map(), requests };
      seen.add(next.href);
      current = next;
      continue;
    }
    const result = verdict(current, outcome.response, redirects);
    const found = new Map<string, FragmentStatus>();
    if (result.kind === 'ok' && body !== undefined) {
      for (const fragment of fragments) found.set(fragment, matchFragment(fragment, body, current));
    }
    return { status: result, fragments: found, requests };
  }
}

function redirectFailure(
  next: URL,
  seen: ReadonlySet<string>,
  redirects: readonly Redirect[],
  maxRedirects: number,
): TargetStatus | undefined {
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return { kind: 'unverifiable', reason: 'unsupported-scheme' };
  }
  const chain = redirects.map((hop) => `\`${hop.to}\``).join(' → ');
  if (seen.has(next.href)) return { kind: 'net-error', error: netError('redirect-loop', undefined, chain), redirects };
  if (redirects.length > maxRedirects) {
    return { kind: 'net-error', error: netError('too-many-redirects', undefined, chain), redirects };
  }
  return undefined;
}

/** Requests one hop: HEAD (or GET for a body), falling back to GET, retrying and obeying `Retry-After`. */
async function fetchHop(
  url: URL,
  fragments: readonly string[],
  context: ProbeContext,
  counter: { requests: number },
  budget: WaitBudget,
): Promise<HopOutcome> {
  let method: 'HEAD' | 'GET' = fragments.length > 0 ? 'GET' : (context.firstMethod ?? 'HEAD');
  let retries = 0;
  /** Waits `ms` if the URL's budget allows it; false (without waiting) when it does not. */
  const wait = async (ms: number): Promise<boolean> => {
    if (ms > budget.remainingMs) return false;
    budget.remainingMs -= ms;
    await context.delay(ms);
    return true;
  };
  for (;;) {
    const attempt = await context.scheduler.run(
      url.hostname,
      (feedback) =>
        attemptOnce(url, method, fragments, context, counter, (response) => {
          // A wall is an answer, not a request to come back: it is never waited for or retried.
          if (matchWall(url, response.status, response.headers, response.body) !== undefined) return undefined;
          const wait = rateLimitWait(url, response, context);
          if (wait === undefined) feedback.succeeded();
          else if (wait <= context.retryAfterCap) feedback.rateLimited();
          return wait;
        }, feedback.answered),
      counter.requests > 0,
    );
    if (attempt.kind === 'error') {
      if (attempt.error instanceof PrivateAddressError) return { kind: 'private' };
      const error = classify(attempt.error);
      if (method === 'HEAD' && headFallbackErrors.has(error.kind) && retries < context.config.retries) {
        method = 'GET';
        retries += 1;
        continue;
      }
      if (!isRetryable(error) || retries >= context.config.retries) return { kind: 'error', error };
      retries += 1;
      if (!(await wait(backoff(retries, context.retryBase, context.random)))) return { kind: 'error', error };
      continue;
    }
    const { response, waitMs } = attempt;
    const isDoubtful = headDoubtfulStatuses.has(response.status) || mayNeedBody(url, response.status, response.headers);
    if (method === 'HEAD' && waitMs === undefined && isDoubtful) {
      method = 'GET';
      continue;
    }
    if (matchWall(url, response.status, response.headers, response.body) !== undefined) return { kind: 'response', response };
    if (waitMs !== undefined) {
      if (budget.rateLimits >= context.rateLimitRetries || !(await wait(waitMs))) {
        return { kind: 'rate-limited', status: response.status };
      }
      // (`wait` runs outside the host's slot: other requests to it go on at the lowered limit.)
      budget.rateLimits += 1;
      continue;
    }
    if (response.status >= 500 && retries < context.config.retries) {
      retries += 1;
      method = 'GET';
      if (await wait(backoff(retries, context.retryBase, context.random))) continue;
    }
    return { kind: 'response', response };
  }
}

/**
 * How long a response asks to wait: 429 always (backoff when no `Retry-After`), 503 only with one.
 * A `Retry-After` is also reported to `onRetryAfter`, which sets how long a re-check waits.
 */
function rateLimitWait(url: URL, response: Exchange<PageScan>, context: ProbeContext): number | undefined {
  const asked = parseRetryAfter(header(response.headers, 'retry-after'), context.now());
  if (asked !== undefined && (response.status === 429 || response.status === 503)) context.onRetryAfter?.(url.hostname, asked);
  if (response.status === 429) return asked ?? backoff(1, context.retryBase, context.random);
  if (response.status === 503) return asked;
  return undefined;
}

async function attemptOnce(
  url: URL,
  method: 'HEAD' | 'GET',
  fragments: readonly string[],
  context: ProbeContext,
  counter: { requests: number },
  judge: (response: Exchange<PageScan>) => number | undefined,
  onHeaders: () => void,
): Promise<Attempt> {
  const started = context.now();
  counter.requests += 1;
  const request = { url, method, userAgent: context.userAgent, timeout: context.config.timeout, onHeaders };
  // A GET reads the page for its fragments (up to the body cap), or only its first bytes: the
  // title and heading of a page, the wall's page of a failure.
  const reader = fragments.length > 0 ? createPageReader(fragments, context.maxBodyBytes) : createPageReader([], peekBytes);
  const peek = createPageReader([], peekBytes);
  try {
    const response = await exchange(context.dispatcher, request, reader, peek);
    context.onRequest?.({ method, url: url.href, status: response.status, durationMs: context.now() - started });
    const waitMs = judge(response);
    return waitMs === undefined ? { kind: 'response', response } : { kind: 'response', response, waitMs };
  } catch (error) {
    const durationMs = context.now() - started;
    context.onRequest?.({ method, url: url.href, error: classify(error), durationMs });
    return { kind: 'error', error };
  }
}
