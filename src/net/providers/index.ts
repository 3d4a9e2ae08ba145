/**
 * The provider registry and the run's coordinator: each URL a provider claims joins that
 * provider's batch (the claims made in one turn of the event loop go out together, so 150
 * repositories make two GraphQL queries), and gets the API's verdict, or its page fetched as
 * usual with the API's facts attached. Every request goes through the run's one dispatcher and
 * scheduler; a provider's verdict is cached under the linked URL like any other result.
 */
import type { Config } from '../../config/types.js';
import type { ProviderName, UrlResult } from '../../types.js';
import { isTrivialFragment } from '../fragments.js';
import { github } from './github.js';
import { npm } from './npm.js';
import type { SendApi } from './request.js';
import { stackexchange } from './stackexchange.js';
import type { Claim, PlannedRequest, Provider, ProviderAnswer, ProviderApi } from './types.js';
import { youtube } from './youtube.js';

export type { PlannedRequest, Provider } from './types.js';

/** Every provider, in the order they are asked to claim a URL. */
export const providers: readonly Provider<unknown>[] = [github, npm, youtube, stackexchange];

/** The API base URL of a provider: the configured one, else its default. */
export function providerBase(provider: Provider<unknown>, config: Config['providers']): URL {
  return new URL(config?.[provider.name]?.url ?? provider.defaultUrl);
}

/**
 * Fixed per-host limits for the providers' API hosts (`host` with port, as their requests are
 * scheduled), for the scheduler; a `hosts` entry of the config wins over them.
 */
export function providerHostLimits(config: Config['providers']): Record<string, { concurrency: number }> {
  const limits: Record<string, { concurrency: number }> = Object.create(null) as Record<string, { concurrency: number }>;
  for (const provider of providers) {
    const { host } = providerBase(provider, config);
    limits[host] = { concurrency: Math.min(limits[host]?.concurrency ?? Infinity, provider.concurrency) };
  }
  return limits;
}

/** What a provider would do with a URL, for `waymark explain`. */
export type ProviderPlan =
  | { readonly kind: 'claimed'; readonly provider: Provider<unknown>; readonly request: PlannedRequest }
  /** A provider knows the URL but cannot work without `GITHUB_TOKEN`. */
  | { readonly kind: 'needs-token'; readonly provider: Provider<unknown>; readonly request: PlannedRequest };

/** Which provider, if any, would take a URL linked with these fragments, and what it would ask. */
export function planProvider(
  url: URL,
  fragments: readonly string[],
  options: { readonly config?: Config['providers']; readonly hasToken: boolean },
): ProviderPlan | undefined {
  const needed = fragments.filter((fragment) => !isTrivialFragment(fragment));
  for (const provider of providers) {
    const subject = provider.claim(url, needed);
    if (subject === undefined) continue;
    const request = provider.describe(subject, providerBase(provider, options.config));
    return { kind: provider.needsToken && !options.hasToken ? 'needs-token' : 'claimed', provider, request };
  }
  return undefined;
}

/** What the coordinator needs from the run. */
export interface ProviderRunOptions {
  readonly config: { readonly providers?: Config['providers'] };
  /** `GITHUB_TOKEN`, read at the CLI's edge. */
  readonly githubToken?: string;
  readonly now?: () => number;
  readonly delay?: (ms: number) => Promise<void>;
  /** The longest wait obeyed in the run, in ms (default 60 000). */
  readonly retryAfterCap?: number;
}

/** The checker's side: API requests and normal fetching. */
export interface ProviderChecker {
  send: SendApi;
  check(url: string, options: { fragments: readonly string[] }): Promise<UrlResult>;
}

/** A run's providers. */
export interface ProviderRun {
  /** The result of a URL a provider takes, or undefined for one left to normal fetching. */
  check(key: string, fragments: readonly string[]): Promise<UrlResult> | undefined;
  /** URLs a provider would have verified with `GITHUB_TOKEN`, fetched from their pages instead. */
  readonly withoutToken: readonly string[];
}

interface Pending {
  readonly claim: Claim<unknown>;
  readonly fragments: readonly string[];
  readonly resolve: (result: UrlResult) => void;
}

const defaultDelay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the providers of one run. */
export function createProviders(options: ProviderRunOptions, checker: ProviderChecker): ProviderRun {
  const now = options.now ?? Date.now;
  const withoutToken = new Set<string>();
  const memo = new Map<string, Promise<UrlResult>>();
  const queues = new Map<ProviderName, Pending[]>();
  const token = options.githubToken === '' ? undefined : options.githubToken;
  const apiOf = (provider: Provider<unknown>): ProviderApi => ({
    base: providerBase(provider, options.config.providers),
    ...(token === undefined ? {} : { token }),
    send: checker.send,
    now,
    delay: options.delay ?? defaultDelay,
    waitCap: options.retryAfterCap ?? 60_000,
  });

  const settle = async (pending: Pending, answer: ProviderAnswer, result: Omit<UrlResult, 'url' | 'status' | 'fragments' | 'cached'>): Promise<void> => {
    const { key } = pending.claim;
    if (answer.kind === 'fetch') {
      const fetched = await checker.check(key, { fragments: pending.fragments });
      pending.resolve(answer.facts === undefined ? fetched : { ...fetched, provider: answer.facts });
      return;
    }
    // Trivial fragments (`#`, `#top`) exist on every page that loads.
    const fragments =
      answer.status.kind === 'ok' ? new Map(pending.fragments.map((name) => [name, { kind: 'found' }] as const)) : new Map();
    pending.resolve({ url: key, status: answer.status, fragments, cached: false, provider: answer.facts, ...result });
  };

  const flush = async (provider: Provider<unknown>): Promise<void> => {
    const batch = queues.get(provider.name) ?? [];
    queues.delete(provider.name);
    const started = now();
    let answers: readonly ProviderAnswer[];
    let requests = 0;
    try {
      ({ answers, requests } = await provider.verify(batch.map((pending) => pending.claim), apiOf(provider)));
    } catch {
      answers = [];
    }
    const durationMs = now() - started;
    // The batch's requests are counted once, on its first URL, so totals stay true.
    await Promise.all(
      batch.map((pending, i) => settle(pending, answers[i] ?? { kind: 'fetch' }, { durationMs, requests: i === 0 ? requests : 0 })),
    );
  };

  const enqueue = (provider: Provider<unknown>, claim: Claim<unknown>, fragments: readonly string[]): Promise<UrlResult> =>
    new Promise<UrlResult>((resolve) => {
      const queue = queues.get(provider.name);
      if (queue === undefined) {
        queues.set(provider.name, [{ claim, fragments, resolve }]);
        // Everything claimed in this turn of the event loop goes into one batch.
        setImmediate(() => void flush(provider));
      } else {
        queue.push({ claim, fragments, resolve });
      }
    });

  return {
    check(key, fragments) {
      if (!URL.canParse(key)) return undefined;
      const url = new URL(key);
      const needed = fragments.filter((fragment) => !isTrivialFragment(fragment)).sort();
      for (const provider of providers) {
        const subject = provider.claim(url, needed);
        if (subject === undefined) continue;
        if (provider.needsToken && token === undefined) {
          withoutToken.add(key);
          return undefined;
        }
        const id = `${key}#${[...fragments].sort().join('\u0000')}`;
        let promise = memo.get(id);
        if (promise === undefined) {
          promise = enqueue(provider, { key, subject }, fragments);
          memo.set(id, promise);
        }
        return promise;
      }
      return undefined;
    },
    get withoutToken() {
      return [...withoutToken];
    },
  };
}
