import { isUntried, type FragmentStatus, type NetError, type ProviderFacts, type ProviderName, type UrlResult, type WeakFailure } from '../types.js';
import type { NetErrorKind, Redirect } from '../types.js';

/**
 * Network failures that mean the link is dead: strong signals. A name that does not exist
 * (reported only on a network that works: otherwise the run is offline), a refusal the engine
 * confirmed, a redirect loop, too many redirects. Timeouts, resets and a name server that did not
 * answer are weak: the engine checks them again, and twice means `inconclusive`, not dead.
 */
const deadErrors: ReadonlySet<NetErrorKind> = new Set(['dns', 'refused', 'redirect-loop', 'too-many-redirects']);

/** What the rules make of one external URL's result. */
export type RemoteVerdict =
  | { readonly kind: 'fine' }
  | { readonly kind: 'dead'; readonly reason: string; readonly hint?: string }
  | { readonly kind: 'unverifiable'; readonly reason: string; readonly hint?: string };

const unverifiableReasons = {
  offline: 'the network is unreachable',
  'private-address': 'it resolves to a private address',
  budget: '`--budget` left it for a later run',
  'unsupported-scheme': 'the scheme is not supported',
  'auth-required': 'the server asks for credentials',
  blocked: 'blocked by a bot wall',
  'rate-limited': 'the server keeps rate-limiting requests',
  inconclusive: 'it failed twice',
  tls: 'its TLS certificate is not valid',
} as const;

/** Who answered for a provider, and what it answers about. */
const providerWords: Readonly<Record<ProviderName, { readonly api: string; readonly subject: string }>> = {
  github: { api: 'the GitHub API', subject: 'repository' },
  npm: { api: 'the npm registry', subject: 'package' },
  youtube: { api: 'the YouTube oEmbed API', subject: 'video' },
  stackexchange: { api: 'the Stack Exchange API', subject: 'question' },
};

/**
 * The verdict of a provider's API (see src/net/providers/): a miss is dead whatever its status
 * (oEmbed says 400 for a video that is gone), and what the API could not see is unverifiable.
 */
function providerVerdict(result: UrlResult, facts: ProviderFacts): RemoteVerdict | undefined {
  const { api, subject } = providerWords[facts.name];
  const status = facts.apiStatus === undefined ? '' : ` (HTTP ${facts.apiStatus})`;
  switch (result.status.kind) {
    case 'http-error':
      return { kind: 'dead', reason: `${api} has no such ${subject}${status}` };
    case 'unverifiable': {
      const redirected = facts.apiStatus !== undefined && facts.apiStatus >= 300 && facts.apiStatus < 400;
      const why = redirected ? 'redirects (to a consent page), which is never taken for success' : `says the ${subject} is private or cannot be embedded`;
      return { kind: 'unverifiable', reason: `${api} ${why}${status}` };
    }
    default:
      return undefined;
  }
}

function isDeadError(error: NetError): boolean {
  return deadErrors.has(error.kind) && !(error.kind === 'dns' && error.code === 'EAI_AGAIN');
}

/** A weak failure in a few words: `timed out`, `connection reset`, `HTTP 503`. */
function weakFailureWords(failure: WeakFailure): string {
  if (failure.kind === 'http') return `HTTP ${failure.status}`;
  switch (failure.error.kind) {
    case 'connect-timeout':
    case 'response-timeout':
      return 'timed out';
    case 'reset':
      return 'connection reset';
    case 'refused':
      return 'connection refused';
    case 'dns':
      return 'name lookup failed';
    default:
      return failure.error.message.charAt(0).toLowerCase() + failure.error.message.slice(1);
  }
}

/** `timed out twice`, or `connection reset, then timed out` when the two failures differ. */
function twiceText(failures: readonly WeakFailure[]): string {
  const words = failures.map(weakFailureWords);
  const [first, last] = [words[0], words.at(-1)];
  if (first === undefined || last === undefined) return unverifiableReasons.inconclusive;
  return first === last ? `${first} twice` : `${first}, then ${last}`;
}

/** The hint of the last failure, when it has one (`raise headersTimeout …`). */
function lastHint(failures: readonly WeakFailure[]): { readonly hint?: string } {
  const last = failures.at(-1);
  return last?.kind === 'net' && last.error.hint !== undefined ? { hint: last.error.hint } : {};
}

/**
 * Sorts a URL's result into dead (404, 410, a name that does not exist, a confirmed refusal, a
 * redirect loop or too many redirects), unverifiable (everything else that is not a success: bot
 * walls, weak failures seen twice, other statuses) or fine. Offline and private-address results
 * are fine here: they are counted, not reported.
 */
export function remoteVerdict(result: UrlResult): RemoteVerdict {
  const { status } = result;
  const fromProvider = result.provider?.isVerdict === true ? providerVerdict(result, result.provider) : undefined;
  if (fromProvider !== undefined) return fromProvider;
  switch (status.kind) {
    case 'ok':
      return { kind: 'fine' };
    case 'http-error': {
      const reason = `HTTP ${status.status}${chainText(status.redirects)}`;
      if (status.status === 404 || status.status === 410) return { kind: 'dead', reason };
      return { kind: 'unverifiable', reason };
    }
    case 'net-error': {
      // The engine's message already spells out a redirect loop or chain.
      const reason = status.error.message;
      const hint = status.error.hint === undefined ? {} : { hint: status.error.hint };
      return isDeadError(status.error) ? { kind: 'dead', reason, ...hint } : { kind: 'unverifiable', reason, ...hint };
    }
    case 'unverifiable': {
      if (isUntried(status)) return { kind: 'fine' };
      const code = status.status === undefined ? '' : ` (HTTP ${status.status})`;
      if (status.reason === 'blocked' && status.wall !== undefined) return { kind: 'unverifiable', reason: `blocked by ${status.wall}${code}` };
      if (status.reason === 'inconclusive' && status.failures !== undefined) {
        return { kind: 'unverifiable', reason: twiceText(status.failures), ...lastHint(status.failures) };
      }
      return {
        kind: 'unverifiable',
        reason: unverifiableReasons[status.reason] + code,
        ...(result.error?.hint === undefined ? {} : { hint: result.error.hint }),
      };
    }
  }
}

/** The redirect chain as ` via a → b → c`, or nothing for no hops. */
function chainText(redirects: readonly Redirect[]): string {
  if (redirects.length === 0) return '';
  const first = redirects[0]?.from ?? '';
  return ` after redirects ${[first, ...redirects.map((hop) => hop.to)].map((url) => `\`${url}\``).join(' → ')}`;
}

/** Why a remote fragment could not be checked, in words. */
export function fragmentUnverifiable(status: Extract<FragmentStatus, { kind: 'unverifiable' }>): string {
  switch (status.reason) {
    case 'not-html':
      return 'the page is not HTML';
    case 'client-rendered':
      return 'the page is rendered by scripts';
    case 'too-large':
      return 'it is not in the first 5 MB of the page';
    case 'body-error':
      return 'the page could not be read to the end';
  }
}
