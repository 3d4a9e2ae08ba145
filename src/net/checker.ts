/**
 * The engine's entry points: a URL checker bound to one agent and one scheduler, and
 * `checkUrls`, which dedupes a run's URLs, consults the cache, detects an offline machine and
 * checks the rest concurrently.
 */
import type { TargetStatus } from '../types.js';
import type { UrlCache } from './cache.js';
import { createAgent } from './client.js';
import { isUnreachable } from './errors.js';
import { isTrivialFragment } from './fragments.js';
import { isPrivateAddress, systemLookup } from './guard.js';
import { eventLoopGauge } from './load.js';
import { judgeNetwork } from './offline.js';
import { probe, type ProbeContext } from './probe.js';
import { createProviders, providerHostLimits } from './providers/index.js';
import { createApiSender, type SendApi } from './providers/request.js';
import { proxyFor, proxySettings, type ProxyEnv } from './proxy.js';
import { recheckOne, weakFailureOf, type PendingRecheck, type RecheckOptions } from './recheck.js';
import { Scheduler } from './scheduler.js';
import type { IsPrivate, Lookup, NetConfig, RequestEvent, UrlResult } from './types.js';
import type { PlannedUrl } from '../types.js';
import { mergePlanned, urlKey } from '../plan/url-key.js';

/** Everything the engine can be given; only `config` and `userAgent` are required. */
export interface UrlCheckerOptions {
  readonly config: NetConfig;
  /** Sent on every request; see `defaultUserAgent`. */
  readonly userAgent: string;
  /** Name resolution; defaults to the system resolver. */
  readonly lookup?: Lookup;
  /**
   * The address guard's predicate; defaults to {@link isPrivateAddress}. Offline detection uses it
   * too: an address it guards proves nothing about the network.
   */
  readonly isPrivate?: IsPrivate;
  readonly now?: () => number;
  /** Resolves after `ms` milliseconds: the waits for backoff and `Retry-After`. */
  readonly delay?: (ms: number) => Promise<void>;
  /** A number in [0, 1), for backoff jitter. */
  readonly random?: () => number;
  /** Called after every HTTP request (for `--verbose`). */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Longest `Retry-After` obeyed, in milliseconds (default 60 000). */
  readonly retryAfterCap?: number;
  /** Base of the backoff between retries, in milliseconds (default 500). */
  readonly retryBase?: number;
  /** Retries after 429 responses (default 5). */
  readonly rateLimitRetries?: number;
  /** Most body bytes read when looking for fragments (default 5 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * The environment's proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, either case);
   * the `proxy` setting wins over them. Default: none, so no proxy unless the setting names one.
   */
  readonly proxyEnv?: ProxyEnv;
}

/** Options for a whole run. */
export interface CheckUrlsOptions extends UrlCheckerOptions {
  /** Cached results to use and update; saved at the end of the run. */
  readonly cache?: UrlCache;
  /** Names resolved to tell "offline" from "every linked host is gone" (default: none). */
  readonly sentinelHosts?: readonly string[];
  /**
   * Most URLs sent to the network this run (`--budget`): those the cache verified least recently
   * (never first) are checked, the others are `unverifiable` with reason `budget`.
   */
  readonly budget?: number;
  /** `GITHUB_TOKEN`: GitHub links are then verified through the GraphQL API (src/net/providers/). */
  readonly githubToken?: string;
}

/** The options of one check. */
export interface CheckOptions {
  /** Fragments (without `#`) to look for in the page. */
  readonly fragments?: readonly string[];
}

/** Checks URLs through one agent and one scheduler. */
export interface UrlChecker {
  /** Checks one URL (its fragment, if any, is looked for too); concurrent calls for the same URL share one check. */
  check(url: string, options?: CheckOptions): Promise<UrlResult>;
  /** The most requests that were in flight at once to a host. */
  maxInFlightOf(hostname: string): number;
  /** The current adaptive limit of a host. */
  limitOf(hostname: string): number;
  /** Sends a provider's API request through the same agent and scheduler. */
  send: SendApi;
  /** Closes the agent. */
  close(): Promise<void>;
}

/** The outcome of a run: one result per planned URL, under its key. */
export interface UrlCheckRun {
  readonly results: ReadonlyMap<string, UrlResult>;
  /** True when the network was unreachable and every uncached URL is `offline`. */
  readonly offline: boolean;
  /** GitHub URLs fetched from github.com's pages that `GITHUB_TOKEN` would have had verified through the API. */
  readonly withoutToken?: readonly string[];
}

const defaultDelay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function instantResult(url: string, status: TargetStatus): UrlResult {
  return { url, status, fragments: new Map(), durationMs: 0, requests: 0, cached: false };
}

/** What a run's own checkers take besides the public options: hooks for the re-check. */
type CheckerHooks = Partial<Pick<ProbeContext, 'firstMethod' | 'onRetryAfter' | 'scheduler'>>;

/** The per-host scheduler of a run, with the limits of config, the providers and the host profiles. */
function createScheduler(config: NetConfig): Scheduler {
  return new Scheduler({
    concurrency: config.concurrency,
    hostConcurrency: config.hostConcurrency,
    hosts: { ...providerHostLimits(config.providers), ...config.hosts },
    loop: eventLoopGauge(),
    // Before a host has answered at all, a request is stuck after a quarter of the headers timeout.
    stuckFloorMs: Math.min(2_000, config.headersTimeout / 4),
  });
}

/** Builds what every check shares: the agent, the scheduler and the tuning, with defaults filled in. */
function createContext(options: UrlCheckerOptions, hooks: CheckerHooks): ProbeContext {
  const { config } = options;
  const delay = options.delay ?? defaultDelay;
  const proxy = proxySettings(config.proxy, options.proxyEnv ?? {});
  const dispatcher = createAgent({
    config,
    lookup: options.lookup ?? systemLookup,
    isPrivate: options.isPrivate ?? isPrivateAddress,
    ...(proxy === undefined ? {} : { proxy }),
  });
  const scheduler = hooks.scheduler ?? createScheduler(config);
  return {
    dispatcher,
    scheduler,
    config,
    userAgent: options.userAgent,
    retryAfterCap: options.retryAfterCap ?? 60_000,
    retryBase: options.retryBase ?? 500,
    rateLimitRetries: options.rateLimitRetries ?? 5,
    maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024,
    now: options.now ?? Date.now,
    delay,
    random: options.random ?? Math.random,
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
    ...hooks,
  };
}

/** Creates a checker with its own guarded agent and scheduler. */
export function createUrlChecker(options: UrlCheckerOptions): UrlChecker {
  return buildChecker(options, {});
}

function buildChecker(options: UrlCheckerOptions, hooks: CheckerHooks): UrlChecker {
  const context = createContext(options, hooks);
  const { dispatcher, scheduler, now } = context;
  const pending = new Map<string, Promise<UrlResult>>();

  const run = async (key: string, parsed: URL, fragments: readonly string[]): Promise<UrlResult> => {
    const started = now();
    const result = await probe(parsed, fragments, context);
    return {
      url: key,
      status: result.status,
      fragments: result.fragments,
      durationMs: now() - started,
      requests: result.requests,
      cached: false,
      ...(result.error === undefined ? {} : { error: result.error }),
    };
  };

  return {
    check(url, checkOptions = {}) {
      const { key, parsed, fragment } = urlKey(url);
      const asked = [...new Set([...(checkOptions.fragments ?? []), ...(fragment === undefined ? [] : [fragment])])];
      if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
        return Promise.resolve(instantResult(key, { kind: 'unverifiable', reason: 'unsupported-scheme' }));
      }
      // Trivial fragments exist on every page that loads; only the others need the body.
      const needed = asked.filter((name) => !isTrivialFragment(name)).sort();
      const memo = `${key}#${needed.join('\u0000')}`;
      let promise = pending.get(memo);
      if (promise === undefined) {
        promise = run(key, parsed, needed).then((result) => withTrivial(result, asked));
        pending.set(memo, promise);
      }
      return promise;
    },
    maxInFlightOf: (hostname) => scheduler.maxInFlightOf(hostname),
    limitOf: (hostname) => scheduler.limitOf(hostname),
    send: createApiSender(context),
    async close() {
      await dispatcher.close();
    },
  };
}

function withTrivial(result: UrlResult, asked: readonly string[]): UrlResult {
  if (result.status.kind !== 'ok') return result;
  const trivial = asked.filter(isTrivialFragment).map((name) => [name, { kind: 'found' } as const] as const);
  return trivial.length === 0 ? result : { ...result, fragments: new Map([...result.fragments, ...trivial]) };
}

function hostnameOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).hostname : undefined;
}

/**
 * Checks every unique URL of a run once (100 links to one URL make one request), reporting each
 * result as soon as its verdict is known. Cached results are used when fresh; when the network is
 * unreachable every other URL is `unverifiable` with reason `offline`. A weak failure (timeout,
 * reset, 5xx, 429 past the cap) is checked once more on a fresh connection, `config.recheckDelay`
 * after it failed, while the run goes on; see recheck.ts.
 */
export async function checkUrls(
  requests: Iterable<PlannedUrl>,
  options: CheckUrlsOptions,
  onResult?: (result: UrlResult) => void,
): Promise<UrlCheckRun> {
  const planned = mergePlanned(requests);
  const results = new Map<string, UrlResult>();
  const report = (result: UrlResult): void => {
    results.set(result.url, result);
    onResult?.(result);
  };
  let remaining: [string, string[]][] = [];
  for (const { key, fragments = [] } of planned) {
    const cached = options.cache?.get(key, [...fragments]);
    if (cached === undefined) remaining.push([key, [...fragments]]);
    else report(cached);
  }
  if (options.budget !== undefined && remaining.length > options.budget) {
    // Least recently verified first; a URL never verified is the least recent of all. Ties keep link order.
    const age = (key: string): number => options.cache?.checkedAt(key) ?? -Infinity;
    const order = remaining.map((entry, index) => ({ entry, index, at: age(entry[0]) }));
    order.sort((a, b) => a.at - b.at || a.index - b.index);
    const chosen = new Set(order.slice(0, options.budget).map(({ index }) => index));
    for (const [index, [key]] of remaining.entries()) {
      if (!chosen.has(index)) report(instantResult(key, { kind: 'unverifiable', reason: 'budget' }));
    }
    remaining = remaining.filter((_, index) => chosen.has(index));
  }
  // Progress hears of each URL once, as soon as its verdict is known.
  const announced = new Set<string>();
  const announce = (result: UrlResult): void => {
    if (announced.has(result.url)) return;
    announced.add(result.url);
    report(result);
  };
  // A name the proxy resolves proves nothing here: the proxy's answers judge the network instead.
  const proxy = proxySettings(options.config.proxy, options.proxyEnv ?? {});
  const hostnames = remaining.flatMap(([key]) => (URL.canParse(key) && proxyFor(proxy, new URL(key)) !== undefined ? [] : (hostnameOf(key) ?? [])));
  const lookup = options.lookup ?? systemLookup;
  const sentinels = options.sentinelHosts === undefined ? {} : { sentinelHosts: options.sentinelHosts };
  const judgement =
    remaining.length === 0
      ? undefined
      : await judgeNetwork(hostnames, { lookup, isPrivate: options.isPrivate ?? isPrivateAddress, ...sentinels });
  let offline = judgement?.offline === true;
  /** Hosts whose verdicts stand even offline: they resolved or answered, so their links were really checked. */
  const standing = new Set(judgement?.local ?? []);
  const isStanding = (key: string): boolean => standing.has(hostnameOf(key) ?? '');
  // Who answered and who asked to wait, for judging refusals and timing the re-check.
  const answered = new Set<string>();
  const retryAfter = new Map<string, number>();
  const heard: UrlCheckerOptions = {
    ...options,
    onRequest: (event) => {
      if (event.status !== undefined) answered.add(hostnameOf(event.url) ?? '');
      options.onRequest?.(event);
    },
  };
  const onRetryAfter = (hostname: string, ms: number): void => void retryAfter.set(hostname, ms);
  // One scheduler for the run and its re-check: what a host's 429s taught holds for both.
  const scheduler = createScheduler(options.config);
  const checker = buildChecker(heard, { onRetryAfter, scheduler });
  // URLs a provider claims are answered by its API (see src/net/providers/); the rest are fetched.
  const providers = createProviders(heard, checker);
  const check = ([key, fragments]: [string, string[]]): Promise<UrlResult> =>
    providers.check(key, fragments) ?? checker.check(key, { fragments });
  const now = options.now ?? Date.now;
  const asked = new Map(remaining);
  const rechecker = createRechecker(heard, answered, retryAfter, scheduler);
  const rechecks: Promise<void>[] = [];
  const refusals: PendingRecheck[] = [];
  /**
   * Announces a verdict, or re-checks a weak failure once its wait has passed: while the rest of
   * the run goes on, through the same per-host limits.
   */
  const settle = (result: UrlResult): void => {
    if (weakFailureOf(result.status) === undefined) return announce(result);
    const pending = { result, fragments: asked.get(result.url) ?? [], failedAt: now() };
    // A refusal is judged by whether its host answered anything in the whole first pass.
    if (result.status.kind === 'net-error' && result.status.error.kind === 'refused') refusals.push(pending);
    else rechecks.push(rechecker.recheck(pending).then(announce));
  };
  try {
    const literals = remaining.filter(([key]) => judgement?.publicLiterals.has(hostnameOf(key) ?? '') === true);
    if (offline && literals.length > 0) {
      // No linked name resolves, yet a public address that answers still proves the network works.
      // The checker shares these checks with the full pass below, so nothing is fetched twice.
      const answers = await Promise.all(
        literals.map((request) =>
          check(request).then((result) => {
            if (isAnswer(result)) {
              standing.add(hostnameOf(result.url) ?? '');
              settle(result);
            }
            return result;
          }),
        ),
      );
      offline = !answers.some(isAnswer);
    }
    if (offline) {
      // Local hosts answer without a network: their verdicts are real.
      await Promise.all(remaining.filter(([key]) => isStanding(key)).map((request) => check(request).then(settle)));
    } else {
      const checked = await Promise.all(
        remaining.map((request) =>
          check(request).then((result) => {
            if (!isNoRoute(result) || isStanding(result.url)) settle(result);
            return result;
          }),
        ),
      );
      // Names resolved but no connection to a public host got through: the machine has no route out.
      const outside = checked.filter((result) => !isStanding(result.url));
      offline = outside.length > 0 && outside.every(isNoRoute);
      if (!offline) for (const result of outside.filter(isNoRoute)) settle(result);
    }
    for (const pending of refusals) rechecks.push(rechecker.recheck(pending).then(announce));
    await Promise.all(rechecks);
  } finally {
    await checker.close();
    await rechecker.close();
  }
  if (offline) {
    for (const [key] of remaining) {
      if (!announced.has(key)) announce(instantResult(key, { kind: 'unverifiable', reason: 'offline' }));
    }
  }
  if (options.cache !== undefined) {
    for (const result of results.values()) options.cache.set(result);
    await options.cache.save();
  }
  const { withoutToken } = providers;
  return { results, offline, ...(withoutToken.length === 0 ? {} : { withoutToken }) };
}

/** A host's `Retry-After` stretches its re-check's wait to at most this many times `recheckDelay`. */
const retryAfterFactor = 6;

/**
 * Checks weak failures once more, each through one fresh checker (new connections, no retries of
 * its own, GET at once) that keeps the run's per-host limits, after its wait (see recheck.ts).
 */
function createRechecker(
  options: UrlCheckerOptions,
  answered: ReadonlySet<string>,
  retryAfter: ReadonlyMap<string, number>,
  scheduler: Scheduler,
): { recheck(pending: PendingRecheck): Promise<UrlResult>; close(): Promise<void> } {
  let checker: UrlChecker | undefined;
  const fresh = (): UrlChecker =>
    (checker ??= buildChecker({ ...options, config: { ...options.config, retries: 0 }, rateLimitRetries: 0 }, { firstMethod: 'GET', scheduler }));
  const recheckOptions: RecheckOptions = {
    delayMs: options.config.recheckDelay,
    capMs: Math.min(options.retryAfterCap ?? 60_000, retryAfterFactor * options.config.recheckDelay),
    retryAfter,
    answered,
    now: options.now ?? Date.now,
    delay: options.delay ?? defaultDelay,
    check: (url, fragments) => fresh().check(url, { fragments: [...fragments] }),
  };
  return {
    recheck: (pending) => recheckOne(pending, recheckOptions),
    close: async () => {
      await checker?.close();
    },
  };
}

/** Whether a server answered (a refusal by the address guard or a failed connection is no answer). */
function isAnswer(result: UrlResult): boolean {
  const { status } = result;
  if (status.kind === 'net-error') return false;
  return status.kind !== 'unverifiable' || (status.reason !== 'private-address' && status.reason !== 'unsupported-scheme');
}

function isNoRoute(result: UrlResult): boolean {
  return result.status.kind === 'net-error' && isUnreachable(result.status.error);
}
