/**
 * What the scheduler knows about one host while a run lasts: its limit and how it learns, its
 * rounds of requests, its opening and its running requests (see scheduler.ts).
 */

export interface HostState {
  readonly cap: number;
  limit: number;
  inFlight: number;
  /**
   * After a 429 or 503: the most requests a round ever ran at once less the ones the host refused
   * in it, which the limit never again grows past this run. A host that refused two of four running
   * at once is never sent three again; one that refused one of five goes back up to four.
   */
  ceiling?: number;
  /** The host's opening, until each of its requests has been answered (none for a fixed limit). */
  opening: Opening | undefined;
  /** Successes since the limit last changed. */
  successes: number;
  /** The requests started since the limit last went down; a new round begins at every decrease. */
  round: Round;
  /** Requests of earlier rounds still running: until they are all answered the limit does not grow. */
  olderRunning: number;
  maxInFlight: number;
  /** Whether the host is in the round-robin ring. */
  isInRing: boolean;
  /** Running requests that no longer count against the limit. */
  stuck: number;
  /** Running average of answer times (ms), and the lowest it has been once settled. */
  latency?: number;
  bestLatency?: number;
  samples: number;
  readonly queue: (() => void)[];
}

/**
 * The requests a host was sent between two decreases of its limit. Counting its refusals against
 * its peak (rather than trusting where in the queue the refused one started) keeps the estimate
 * honest when requests reach the host later than they left the queue, as they do on a busy
 * machine: the host saw fewer at once than were started, and refused more of them.
 */
export interface Round {
  /** The most requests running at the host at once while the round's requests started (stuck ones too: the host still holds them). */
  peak: number;
  /** Its requests the host refused (429 or 503). */
  refused: number;
  /** Its requests still running. */
  running: number;
}

/** A host's first requests: while they are all started and one of them is unanswered, the host waits. */
export interface Opening {
  /** How many requests the opening holds: the host's starting limit. */
  readonly size: number;
  started: number;
  /** Started and not yet answered, failed or stuck. */
  pending: number;
}

/** A running request, as its host's limiter sees it. */
export interface Slot {
  readonly started: number;
  /** The round it was started in. */
  readonly round: Round;
  /** The opening it belongs to, until it has been answered, failed or got stuck. */
  opening: Opening | undefined;
  answered: boolean;
  stuck: boolean;
  done: boolean;
}

/**
 * Whether a host's answers are slowing down: its running average is more than twice its best
 * and at least 250 ms above it (so the jitter of a fast host never counts).
 */
export function isSlowing(state: HostState): boolean {
  const { latency, bestLatency } = state;
  if (latency === undefined || bestLatency === undefined) return false;
  return latency > 2 * bestLatency && latency - bestLatency > 250;
}
