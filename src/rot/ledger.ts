/**
 * The link rot ledger: what each external URL did over the scheduled runs, so that one timeout
 * is never called rot. Pure: it merges one run's observations into the previous ledger; reading
 * and writing the file is the caller's (see `src/rot/store.ts`).
 *
 * A URL is `rotten` once it failed in `rotAfter` consecutive runs, `watching` before that, and
 * gone from the report the first run it passes. A URL that could not be verified (bot walls,
 * 401/403, rate limits) is never rot: it is counted apart, run after run.
 */

/** The ledger format's version; a file with another one is refused, never silently reset. */
export const ledgerVersion = 1;

/** Runs remembered per URL, for the timeline. */
export const historyLength = 12;

/** What one run saw of one URL. */
export type Outcome = 'ok' | 'failed' | 'unverifiable';

/** Where a URL is linked. */
export interface LinkedAt {
  readonly file: string;
  readonly line: number;
}

/** One URL as this run saw it. */
export interface Observation {
  readonly url: string;
  readonly outcome: Outcome;
  /** The status in words, e.g. `HTTP 404` or `DNS lookup failed`. */
  readonly reason: string;
  readonly linkedAt: readonly LinkedAt[];
  /** The suggested replacement, when one is known (redirect target, tracking-free URL). */
  readonly fix?: string;
}

/** One URL's record across runs. */
export interface LedgerEntry {
  readonly url: string;
  /** When the current run of failures began (ISO date); absent while the URL works. */
  readonly firstFailed?: string;
  readonly consecutiveFailures: number;
  /** Consecutive runs it could not be verified. */
  readonly unverifiableRuns: number;
  readonly lastSuccess?: string;
  readonly lastChecked: string;
  readonly lastOutcome: Outcome;
  readonly lastReason: string;
  readonly linkedAt: readonly LinkedAt[];
  readonly fix?: string;
  /** The last {@link historyLength} outcomes, oldest first. */
  readonly history: readonly Outcome[];
}

/** The whole ledger file. */
export interface Ledger {
  readonly version: typeof ledgerVersion;
  /** The dates of the runs merged so far, oldest first (at most {@link historyLength}). */
  readonly runs: readonly string[];
  /** The number of the issue kept up to date, once there is one. */
  readonly issue?: number;
  readonly urls: Readonly<Record<string, LedgerEntry>>;
}

/** An empty ledger, for the first run. */
export const emptyLedger: Ledger = { version: ledgerVersion, runs: [], urls: {} };

/** Where each URL stands after a run. */
export type Standing = 'rotten' | 'watching' | 'unverifiable' | 'ok';

/** The outcome of merging one run. */
export interface RotState {
  readonly ledger: Ledger;
  /** Rotten now and not rotten in the previous run. */
  readonly newlyRotten: readonly LedgerEntry[];
  /** Rotten now and already rotten before. */
  readonly stillRotten: readonly LedgerEntry[];
  /** Rotten in the previous run and working now (or no longer linked). */
  readonly fixed: readonly LedgerEntry[];
  /** Failing, but not yet for `rotAfter` runs. */
  readonly watching: readonly LedgerEntry[];
  /** Could not be verified this run. */
  readonly unverifiable: readonly LedgerEntry[];
}

/** Where an entry stands, given the threshold. */
export function standing(entry: LedgerEntry, rotAfter: number): Standing {
  if (entry.lastOutcome === 'ok') return 'ok';
  if (entry.lastOutcome === 'unverifiable') return 'unverifiable';
  return entry.consecutiveFailures >= rotAfter ? 'rotten' : 'watching';
}

function nextEntry(previous: LedgerEntry | undefined, seen: Observation, date: string): LedgerEntry {
  const failed = seen.outcome === 'failed';
  const firstFailed = failed ? (previous?.lastOutcome === 'failed' ? previous.firstFailed : undefined) ?? date : undefined;
  const lastSuccess = seen.outcome === 'ok' ? date : previous?.lastSuccess;
  return {
    url: seen.url,
    ...(firstFailed === undefined ? {} : { firstFailed }),
    consecutiveFailures: failed ? (previous?.lastOutcome === 'failed' ? previous.consecutiveFailures : 0) + 1 : 0,
    unverifiableRuns: seen.outcome === 'unverifiable' ? (previous?.unverifiableRuns ?? 0) + 1 : 0,
    ...(lastSuccess === undefined ? {} : { lastSuccess }),
    lastChecked: date,
    lastOutcome: seen.outcome,
    lastReason: seen.reason,
    linkedAt: seen.linkedAt,
    ...(seen.fix === undefined ? {} : { fix: seen.fix }),
    history: [...(previous?.history ?? []), seen.outcome].slice(-historyLength),
  };
}

const byUrl = (a: LedgerEntry, b: LedgerEntry): number => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

/**
 * Merges one run into the ledger. URLs no longer linked anywhere leave it (a rotten one counts
 * as fixed: the link is gone); URLs the run did not check (offline, unchanged) are passed in by
 * the caller only when they were checked, so they keep their record untouched.
 */
export function mergeRun(
  previous: Ledger,
  observations: readonly Observation[],
  options: { readonly date: string; readonly rotAfter: number; readonly keep?: ReadonlySet<string> },
): RotState {
  const { date, rotAfter } = options;
  const urls: Record<string, LedgerEntry> = Object.create(null) as Record<string, LedgerEntry>;
  const seen = new Set<string>();
  const before = new Map(Object.entries(previous.urls));
  for (const observation of observations) {
    seen.add(observation.url);
    urls[observation.url] = nextEntry(before.get(observation.url), observation, date);
  }
  // Not observed but still linked (for example not checked this run): kept as it was.
  for (const url of options.keep ?? []) {
    const entry = before.get(url);
    if (entry !== undefined && !seen.has(url)) urls[url] = entry;
  }
  const ledger: Ledger = {
    version: ledgerVersion,
    runs: [...previous.runs, date].slice(-historyLength),
    ...(previous.issue === undefined ? {} : { issue: previous.issue }),
    urls,
  };
  const wasRotten = (url: string): boolean => {
    const entry = before.get(url);
    return entry !== undefined && standing(entry, rotAfter) === 'rotten';
  };
  const now = Object.values(urls).toSorted(byUrl);
  const rotten = now.filter((entry) => standing(entry, rotAfter) === 'rotten');
  return {
    ledger,
    newlyRotten: rotten.filter((entry) => !wasRotten(entry.url)),
    stillRotten: rotten.filter((entry) => wasRotten(entry.url)),
    fixed: [...before.values()]
      .filter((entry) => standing(entry, rotAfter) === 'rotten')
      .filter((entry) => urls[entry.url] === undefined || standing(urls[entry.url] as LedgerEntry, rotAfter) !== 'rotten')
      .map((entry) => urls[entry.url] ?? entry)
      .toSorted(byUrl),
    watching: now.filter((entry) => standing(entry, rotAfter) === 'watching'),
    unverifiable: now.filter((entry) => standing(entry, rotAfter) === 'unverifiable'),
  };
}
