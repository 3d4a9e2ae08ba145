/**
 * Offline detection: when no linked public host name resolves, the machine has no usable
 * network, and external links are `offline` rather than dead.
 *
 * Only a public answer proves a network: a name that resolves to loopback, private or link-local
 * addresses only (`localhost` from /etc/hosts, a LAN name) proves nothing, and neither do such
 * names that fail. Every linked name is tried until one proves the network, so a run with ten dead
 * host names and one live one is online.
 *
 * No well-known name is consulted by default: on a machine that reaches only a few hosts (a
 * package registry behind a proxy, say), such a name resolves while every linked host fails, and
 * calling those links dead would be wrong. Callers may still pass sentinel names.
 */
import { isPrivateAddress } from './guard.js';
import type { IsPrivate, Lookup } from './types.js';
import { isIpHostname, isLocalName } from './url.js';

/** Options for {@link judgeNetwork}. */
export interface OfflineOptions {
  readonly lookup: Lookup;
  /** Addresses that prove nothing about the network (default: {@link isPrivateAddress}). */
  readonly isPrivate?: IsPrivate;
  /** Names resolved when none of the linked hosts resolves, to tell "offline" from "all gone". */
  readonly sentinelHosts?: readonly string[];
  /** Milliseconds one lookup may take before it counts as failed. */
  readonly timeout?: number;
  /** Lookups in flight at once. */
  readonly concurrency?: number;
}

/** What the lookups of a run's host names showed. */
export interface NetworkJudgement {
  /** True when at least one public host was tried and none resolved to a public address. */
  readonly offline: boolean;
  /**
   * Hosts whose links are checked even when offline: names that resolved (to local addresses
   * only, or the run would not be offline) and local IP literals.
   */
  readonly local: ReadonlySet<string>;
  /** IP literals of public addresses: an answer from one still proves the network. */
  readonly publicLiterals: ReadonlySet<string>;
}

/** Names tried when no linked host resolves: none by default (see the module comment). */
export const defaultSentinelHosts: readonly string[] = [];

/** `timeout`: the lookup did not answer in time (a resolver that hangs rather than fails). */
type Answer = 'public' | 'local' | 'none' | 'timeout';

async function resolveOne(lookup: Lookup, hostname: string, timeout: number, isPrivate: IsPrivate): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Answer>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeout);
  });
  const attempt = lookup(hostname).then(
    (addresses): Answer =>
      addresses.length === 0 ? 'none' : addresses.some(({ address }) => !isPrivate(address)) ? 'public' : 'local',
    (): Answer => 'none',
  );
  try {
    return await Promise.race([attempt, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves names `concurrency` at a time, stopping as soon as one gives a public address, or once
 * `concurrency` lookups have timed out without one: a resolver that hangs would make every other
 * name wait out the timeout too, and a thousand names must not take minutes to say "offline".
 */
async function resolveAll(names: readonly string[], options: OfflineOptions): Promise<Map<string, Answer>> {
  const timeout = options.timeout ?? 5_000;
  const isPrivate = options.isPrivate ?? isPrivateAddress;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const answers = new Map<string, Answer>();
  let next = 0;
  let proven = false;
  let timeouts = 0;
  const worker = async (): Promise<void> => {
    while (!proven && timeouts < concurrency && next < names.length) {
      const name = names[next++] as string;
      const answer = await resolveOne(options.lookup, name, timeout, isPrivate);
      answers.set(name, answer);
      if (answer === 'public') proven = true;
      if (answer === 'timeout') timeouts += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return answers;
}

/**
 * Judges the network by every linked host: online as soon as one name resolves to a public
 * address (or a sentinel does); offline when some public host was tried and none did. IP
 * literals are not looked up: a local one proves nothing, and a public one is proven by the
 * caller, by requesting it.
 */
export async function judgeNetwork(hostnames: Iterable<string>, options: OfflineOptions): Promise<NetworkJudgement> {
  const isPrivate = options.isPrivate ?? isPrivateAddress;
  const names: string[] = [];
  const local = new Set<string>();
  const publicLiterals = new Set<string>();
  for (const hostname of new Set(hostnames)) {
    if (!isIpHostname(hostname)) names.push(hostname);
    else if (isPrivate(hostname.replace(/^\[|\]$/g, ''))) local.add(hostname);
    else publicLiterals.add(hostname);
  }
  const answers = await resolveAll(names, options);
  for (const [name, answer] of answers) if (answer === 'local') local.add(name);
  const online = { offline: false, local, publicLiterals };
  if ([...answers.values()].includes('public')) return online;
  // Only hosts that could have proved a network can disprove it.
  const tried = names.filter((name) => (answers.get(name) === 'none' || answers.get(name) === 'timeout') && !isLocalName(name));
  if (tried.length === 0) return online;
  const sentinels = (options.sentinelHosts ?? defaultSentinelHosts).filter((name) => !names.includes(name));
  const sentinelAnswers = await resolveAll(sentinels, options);
  if ([...sentinelAnswers.values()].includes('public')) return online;
  return { offline: true, local, publicLiterals };
}

/**
 * True when the network looks unreachable by the host names alone: some public name was tried and
 * none resolved to a public address (nor any sentinel). IP literals prove nothing here, so links
 * to IP addresses alone never make a run offline.
 */
export async function detectOffline(hostnames: Iterable<string>, options: OfflineOptions): Promise<boolean> {
  const names = [...hostnames].filter((hostname) => !isIpHostname(hostname));
  return (await judgeNetwork(names, options)).offline;
}
