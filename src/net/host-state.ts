/**
 * What the scheduler knows about one host while a run lasts: its limit and how it learns, its
 * rounds of requests, its opening, its probes and its running requests (see scheduler.ts).
 */

export interface HostState {
  readonly cap: number;
  limit: number;
  inFlight: number;
  /**
   * After a 429 or 503: the most requests the host can have been holding when it refused one (those
   * running when the refused one was sent, less the ones of them it refused too), so the most it
   * takes; the lowest such count of the run. The limit never again grows past it this run.
   */
  ceiling?: number;
  /**
   * The most requests the host has been seen to hold at once: a request it answered (not refused)
   * that was sent while this many less one of its others were running. Sending past it is a probe.
   */
  confirmed: number;
  /** Probes sent and not yet answered (nor stuck): while there is one, nothing else is sent past `confirmed`. */
  probes: number;
  /** Running requests, in the order they started. */
  readonly running: Set<Slot>;
  /** Refused requests some of whose `ahead` are still running: a refusal among those lowers the ceiling further. */
  refusals: Slot[];
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

/** The requests a host was sent between two decreases of its limit. */
export interface Round {
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
  /** The opening it belongs to, until its outcome was learnt from, it failed or it got stuck. */
  opening: Opening | undefined;
  /**
   * The host's other requests that were running (and not stuck) when this one started: the most the host
   * can have held when it arrived; dropped once nothing is left to learn from it.
   */
  ahead: Slot[];
  /** Sent past the host's `confirmed` level, outside an opening. */
  probe: boolean;
  /** The headers arrived. */
  answered: boolean;
  /** The outcome (success or refusal) was learnt from. */
  settled: boolean;
  refused: boolean;
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

/** The most others the host can have been holding when `slot` reached it: those running when it started, less the ones it refused. */
export function heldAtArrival(slot: Slot): number {
  return slot.ahead.reduce((count, other) => (other.refused ? count : count + 1), 0);
}

/**
 * The request no longer holds back its host: its outcome was learnt from, it failed or it got
 * stuck. It stops being a probe and leaves the opening (the last one out ends it); returns whether
 * either freed the host to take more.
 */
export function unblock(state: HostState, slot: Slot): boolean {
  let freed = false;
  if (slot.probe) {
    slot.probe = false;
    state.probes -= 1;
    freed = true;
  }
  const { opening } = slot;
  if (opening === undefined) return freed;
  slot.opening = undefined;
  opening.pending -= 1;
  if (opening.pending > 0) return freed;
  state.opening = undefined;
  return true;
}

/**
 * Records a refusal and lowers the host's ceiling to the fewest requests it can have been holding at
 * any refusal still open. A refusal stays open while some of its `ahead` have no known outcome (a
 * refusal among them lowers its count); returns the ceiling.
 */
export function refuse(state: HostState, slot: Slot): number {
  slot.refused = true;
  state.refusals.push(slot);
  const ceiling = Math.max(1, Math.min(state.ceiling ?? Infinity, ...state.refusals.map(heldAtArrival)));
  state.ceiling = ceiling;
  const closed = state.refusals.filter((refusal) => refusal.ahead.every((other) => other.settled || other.done));
  state.refusals = state.refusals.filter((refusal) => !closed.includes(refusal));
  for (const refusal of closed) forgetAhead(state, refusal);
  return ceiling;
}

/**
 * Drops what a finished request remembers of its neighbours unless an open refusal still counts
 * them: running requests point at the ones before them, which would keep a host's whole history alive.
 */
export function forgetAhead(state: HostState, slot: Slot): void {
  if (slot.done && !state.refusals.includes(slot)) slot.ahead = [];
}
