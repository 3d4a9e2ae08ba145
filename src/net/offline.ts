/**
 * Offline detection: when none of the linked host names resolves, the machine has no usable
 * network, and every external link is `offline` rather than dead.
 *
 * No well-known name is consulted by default: on a machine that reaches only a few hosts (a
 * package registry behind a proxy, say), such a name resolves while every linked host fails, and
 * calling those links dead would be wrong. Callers may still pass sentinel names.
 */
import type { Lookup } from './types.js';
import { isIpHostname } from './url.js';

/** Options for {@link detectOffline}. */
export interface OfflineOptions {
  readonly lookup: Lookup;
  /** Names resolved when none of the linked hosts resolves, to tell "offline" from "all gone". */
  readonly sentinelHosts?: readonly string[];
  /** How many linked host names to try. */
  readonly sample?: number;
  /** Milliseconds one lookup may take before it counts as failed. */
  readonly timeout?: number;
}

/** Names tried when no linked host resolves: none by default (see the module comment). */
export const defaultSentinelHosts: readonly string[] = [];

async function resolves(lookup: Lookup, hostname: string, timeout: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeout);
  });
  const attempt = lookup(hostname).then(
    (addresses) => addresses.length > 0,
    () => false,
  );
  try {
    return await Promise.race([attempt, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function anyResolves(lookup: Lookup, hostnames: readonly string[], timeout: number): Promise<boolean> {
  const answers = await Promise.all(hostnames.map((hostname) => resolves(lookup, hostname, timeout)));
  return answers.includes(true);
}

/**
 * True when the network looks unreachable: a sample of the linked host names (and then every
 * sentinel name, if any were given) fail to resolve. IP literals prove nothing either way, so links to IP addresses
 * alone never make a run offline.
 */
export async function detectOffline(hostnames: Iterable<string>, options: OfflineOptions): Promise<boolean> {
  const sample = options.sample ?? 10;
  const timeout = options.timeout ?? 5_000;
  const names: string[] = [];
  for (const hostname of hostnames) {
    if (names.length >= sample) break;
    if (!isIpHostname(hostname) && !names.includes(hostname)) names.push(hostname);
  }
  if (names.length === 0) return false;
  if (await anyResolves(options.lookup, names, timeout)) return false;
  const sentinels = (options.sentinelHosts ?? defaultSentinelHosts).filter((name) => !names.includes(name));
  return sentinels.length === 0 || !(await anyResolves(options.lookup, sentinels, timeout));
}
