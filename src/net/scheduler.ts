/**
 * Per-host scheduling: a global cap, a per-host cap that adapts (AIMD: halved when the host says
 * it is overloaded, raised by one after a run of successes) and dispatch that serves the longest
 * queue first (round-robin among equals), so one slow host never holds more than its own limit
 * and the busiest host keeps its limit busy. The request that was told to come back later
 * waits out its own `Retry-After` outside any slot.
 *
 * A task waits in its host's queue, not in a global one: a slot is only taken when the host itself
 * has room, so queued requests for a busy host never block requests for an idle one.
 */
import type { HostConfig } from '../config/types.js';

/** What a running task reports back to its host's limiter. */
export interface HostFeedback {
  /** The host answered normally; enough of these in a row raise its limit by one. */
  succeeded(): void;
  /** The host asked to slow down: halve its limit (once per round of requests). */
  rateLimited(): void;
}

/** Limits for the scheduler. */
export interface SchedulerOptions {
  /** Most tasks running at once overall. */
  readonly concurrency: number;
  /** Most tasks running at once per host, unless `hosts` says otherwise. */
  readonly hostConcurrency: number;
  readonly hosts?: Readonly<Record<string, HostConfig>>;
}

interface HostState {
  readonly cap: number;
  limit: number;
  inFlight: number;
  /** Successes since the limit last changed. */
  successes: number;
  /** Bumped on every decrease, so the answers of one round of requests halve the limit only once. */
  epoch: number;
  maxInFlight: number;
  /** Whether the host is in the round-robin ring. */
  isInRing: boolean;
  readonly queue: (() => void)[];
}

/** Runs tasks under a global cap and adaptive per-host caps, longest queue first. */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #hosts = new Map<string, HostState>();
  #order: string[] = [];
  #cursor = 0;
  #inFlight = 0;

  /** Creates a scheduler with the given caps. */
  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /**
   * Runs `task` once its host and the global cap both have room. A `resume` task (a retry or the
   * next redirect hop of a URL already under way) goes to the front of its host's queue, so work
   * that has started finishes before new work starts.
   */
  run<T>(host: string, task: (feedback: HostFeedback) => Promise<T>, resume = false): Promise<T> {
    const state = this.#state(host);
    return new Promise<T>((resolve, reject) => {
      state.queue[resume ? 'unshift' : 'push'](() => {
        const feedback = this.#feedback(state);
        task(feedback)
          .then(resolve, reject)
          .finally(() => {
            state.inFlight -= 1;
            this.#inFlight -= 1;
            this.#pump();
          });
      });
      this.#pump();
    });
  }

  /** The current limit of a host (its cap before any request). */
  limitOf(host: string): number {
    return this.#state(host).limit;
  }

  /** The most tasks that ever ran at once for a host. */
  maxInFlightOf(host: string): number {
    return this.#hosts.get(host)?.maxInFlight ?? 0;
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host);
    if (state === undefined) {
      const cap = Math.max(1, this.#options.hosts?.[host]?.concurrency ?? this.#options.hostConcurrency);
      state = {
        cap,
        limit: cap,
        inFlight: 0,
        successes: 0,
        epoch: 0,
        maxInFlight: 0,
        isInRing: false,
        queue: [],
      };
      this.#hosts.set(host, state);
    }
    if (!state.isInRing) {
      state.isInRing = true;
      this.#order.push(host);
    }
    return state;
  }

  #feedback(state: HostState): HostFeedback {
    const epoch = state.epoch;
    return {
      succeeded: () => {
        state.successes += 1;
        if (state.successes >= state.limit && state.limit < state.cap) {
          state.limit += 1;
          state.successes = 0;
        }
      },
      rateLimited: () => {
        if (epoch === state.epoch) {
          state.limit = Math.max(1, Math.floor(state.limit / 2));
          state.epoch += 1;
        }
        state.successes = 0;
      },
    };
  }

  /** Starts queued tasks, one host at a time in turn, while there is room. */
  #pump(): void {
    while (this.#inFlight < this.#options.concurrency) {
      const state = this.#nextReady();
      const start = state?.queue.shift();
      if (state === undefined || start === undefined) break;
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      this.#inFlight += 1;
      start();
    }
    this.#forgetIdle();
  }

  /**
   * The ready host with the longest queue, taking hosts in ring order from the cursor so that
   * hosts with equal queues are served round-robin. Serving the longest queue first keeps the
   * busiest host at its limit whenever the global cap binds, which is what bounds the run's
   * length; each host still holds at most its own limit, so none can take every slot.
   */
  #nextReady(): HostState | undefined {
    let best: HostState | undefined;
    let bestIndex = 0;
    for (let step = 0; step < this.#order.length; step += 1) {
      const index = (this.#cursor + step) % this.#order.length;
      const host = this.#order[index];
      const state = host === undefined ? undefined : this.#hosts.get(host);
      if (state === undefined || state.queue.length === 0 || state.inFlight >= state.limit) continue;
      if (best === undefined || state.queue.length > best.queue.length) {
        best = state;
        bestIndex = index;
      }
    }
    if (best !== undefined) this.#cursor = bestIndex + 1;
    return best;
  }

  /** Keeps the round-robin ring short: hosts with nothing queued leave it (their state stays). */
  #forgetIdle(): void {
    if (this.#order.length < 64) return;
    const next = this.#order[this.#cursor % this.#order.length];
    this.#order = this.#order.filter((host) => {
      const state = this.#hosts.get(host);
      if (state === undefined || state.queue.length > 0) return state !== undefined;
      state.isInRing = false;
      return false;
    });
    this.#cursor = next === undefined ? 0 : Math.max(0, this.#order.indexOf(next));
  }
}
