/**
 * The re-check of weak failures. A timeout, a reset, a 5xx, a 429 past the wait cap or a name
 * server that did not answer may pass by itself, so such a URL is not judged on its first check:
 * it is checked once more, on a fresh connection, once `recheckDelay` has
 * passed since it failed (longer for a host that sent `Retry-After`: up to six times as long, and
 * never past the `Retry-After` cap). A host whose `Retry-After` asks for longer than that is not
 * asked again: its URLs stay `rate-limited`.
 * A strong signal on the re-check (404, 410, a name that does not exist) is the verdict; a weak one
 * again makes the URL `unverifiable` with reason `inconclusive` ("timed out twice"), never dead.
 *
 * A refused connection is strong only from a host that answered some request of the run: a
 * refusal from a host never heard from may come from a firewall or proxy on the way, so it is
 * checked again, and a second refusal from a host still never heard from is `inconclusive` too.
 */
import type { NetError, TargetStatus, UrlResult, WeakFailure } from '../types.js';

/** A URL whose first check failed weakly, waiting for its re-check. */
export interface PendingRecheck {
  readonly result: UrlResult;
  readonly fragments: readonly string[];
  /** When the first check's verdict came, on the run's clock. */
  readonly failedAt: number;
}

/** What the re-check needs from the run. */
export interface RecheckOptions {
  /** Milliseconds to wait after a URL failed before checking it again. */
  readonly delayMs: number;
  /** Longest wait for a host that asked for more with `Retry-After`, in milliseconds. */
  readonly capMs: number;
  /** The last `Retry-After` each host sent, in milliseconds. */
  readonly retryAfter: ReadonlyMap<string, number>;
  /** Host names that answered some request of the run (any HTTP status). */
  readonly answered: ReadonlySet<string>;
  readonly now: () => number;
  readonly delay: (ms: number) => Promise<void>;
  /** Checks a URL again, on a fresh connection. */
  readonly check: (url: string, fragments: readonly string[]) => Promise<UrlResult>;
}

function isWeakError(error: NetError): boolean {
  switch (error.kind) {
    case 'reset':
    case 'refused':
    case 'connect-timeout':
    case 'response-timeout':
    case 'unknown':
    case 'proxy-unreachable':
      return true;
    case 'dns':
      return error.code === 'EAI_AGAIN';
    case 'tls':
    case 'redirect-loop':
    case 'too-many-redirects':
    case 'body-too-large':
    case 'proxy-refused':
      return false;
  }
}

/** The weak failure a verdict is, if it is one: 5xx, 429 past the cap, a lost connection, a timeout. */
export function weakFailureOf(status: TargetStatus): WeakFailure | undefined {
  switch (status.kind) {
    case 'http-error':
      return status.status >= 500 && status.status <= 599 ? { kind: 'http', status: status.status } : undefined;
    case 'net-error':
      return isWeakError(status.error) ? { kind: 'net', error: status.error } : undefined;
    case 'unverifiable':
      return status.reason === 'rate-limited' && status.status !== undefined ? { kind: 'http', status: status.status } : undefined;
    case 'ok':
      return undefined;
  }
}

function hostnameOf(url: string): string {
  return URL.canParse(url) ? new URL(url).hostname : '';
}

/** Whether a verdict is a refusal from a host that answered before: a strong signal. */
function isConfirmedRefusal(status: TargetStatus, answered: ReadonlySet<string>, url: string): boolean {
  return status.kind === 'net-error' && status.error.kind === 'refused' && answered.has(hostnameOf(url));
}

/** Whether a result still has to be checked again. */
export function needsRecheck(result: UrlResult, answered: ReadonlySet<string>): boolean {
  return weakFailureOf(result.status) !== undefined && !isConfirmedRefusal(result.status, answered, result.url);
}

/** The verdict from both checks: the re-check's when it is strong (or a success), else `inconclusive`. */
function combine(first: UrlResult, second: UrlResult, answered: ReadonlySet<string>): UrlResult {
  const merged = { ...second, requests: first.requests + second.requests, durationMs: first.durationMs + second.durationMs };
  const before = weakFailureOf(first.status);
  const after = weakFailureOf(second.status);
  if (before === undefined || after === undefined || isConfirmedRefusal(second.status, answered, second.url)) return merged;
  // Still rate-limited: the reason says so already.
  if (second.status.kind === 'unverifiable') return merged;
  const { error: _error, ...rest } = merged;
  return { ...rest, status: { kind: 'unverifiable', reason: 'inconclusive', failures: [before, after] } };
}

/**
 * Whether a rate-limited URL's host asked (with `Retry-After`) to wait longer than a re-check
 * would: checking it again sooner would only be refused again, so its verdict stands.
 */
function asksTooLong(result: UrlResult, options: RecheckOptions): boolean {
  const { status } = result;
  if (status.kind !== 'unverifiable' || status.reason !== 'rate-limited') return false;
  return (options.retryAfter.get(hostnameOf(result.url)) ?? 0) > Math.max(options.delayMs, options.capMs);
}

/**
 * Checks a pending URL once more, after its wait, and returns its final result. A refusal from a
 * host that has answered by now is final at once.
 */
export async function recheckOne({ result, fragments, failedAt }: PendingRecheck, options: RecheckOptions): Promise<UrlResult> {
  if (!needsRecheck(result, options.answered) || asksTooLong(result, options)) return result;
  const hostname = hostnameOf(result.url);
  const waitFor = Math.max(options.delayMs, Math.min(options.retryAfter.get(hostname) ?? 0, Math.max(options.delayMs, options.capMs)));
  const wait = failedAt + waitFor - options.now();
  if (wait > 0) await options.delay(wait);
  return combine(result, await options.check(result.url, fragments), options.answered);
}
