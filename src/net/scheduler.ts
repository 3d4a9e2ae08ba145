/**
 * Per-host scheduling: a global cap, a per-host limit that learns (it starts low — at the host's
 * profile, see hosts.ts, or 4 — and is raised by one after a run of quick answers, up to the
 * host's cap; it is halved when the host says it is overloaded or its answers slow down, and after a
 * 429 or 503 never grows back past the number of requests that were running when a refused one was
 * sent, less the ones of them refused too, nor at all until the requests sent before the cut are
 * answered) and dispatch that serves the longest queue first (round-robin among equals), so one
 * slow host never holds more than its own limit and the busiest host keeps its limit busy. The
 * request that was told to come back later waits out its own `Retry-After` outside any slot.
 *
 * A raised limit is a permission, not proof: a request sent while more are running at the host than
 * it has ever been seen to take (a success sent beside so many others) is a probe, and while a
 * probe's outcome is unknown nothing else is sent past that level. A refusal is read late on a busy
 * machine; without this, the slots freed by answers read before it would send more past the limit.
 *
 * One exception to the limit: a request that has waited for its response headers many times
 * longer than the host usually takes to answer is stuck, not loading the server; it stops
 * counting against the limit (at most {@link maxStuck} per host), so one URL that never answers
 * cannot stall its host for the length of the headers timeout.
 *
 * A host's first requests (as many as its starting limit, when that is three or more and not fixed
 * by config) are its opening: they leave at once, and nothing more is sent to it until the outcome
 * of each is known or it is stuck, so a refusal among them is read before the next request leaves.
 *
 * The overall cap is `concurrency`, or less while this process's event loop lags (see load.ts):
 * answers waiting to be read would make hosts look slower and fuller than they are.
 *
 * A task waits in its host's queue, not in a global one: a slot is only taken when the host itself
 * has room, so queued requests for a busy host never block requests for an idle one.
 */
import type { HostConfig } from '../config/types.js';
import { profileOf, startLimit } from './hosts.js';
import type { LoopGauge } from './load.js';
import { OverallCap } from './load.js';
import type { HostState, Slot } from './host-state.js';
import { forgetAhead, heldAtArrival, isSlowing, refuse, unblock } from './host-state.js';

/** Requests per host that may stop counting against its limit because they are stuck. */
export const maxStuck = 2;

/**
 * The smallest starting limit that gets an opening. Below it no opening is needed: of two sent at
 * once, a host that refuses one takes one, and a refill while that refusal is unread is the only
 * request it then holds.
 */
const minOpening = 3;

/** What a running task reports back to its host's limiter. */
export interface HostFeedback {
  /** The response headers arrived: the request is not stuck (called at most once). */
  answered(): void;
  /** The host answered normally; enough quick ones in a row raise its limit by one. */
  succeeded(): void;
  /** The host asked to slow down: halve its limit (once per round of requests). */
  rateLimited(): void;
}

/** Limits for the scheduler. */
export interface SchedulerOptions {
  /** Most tasks running at once overall. */
  readonly concurrency: number;
  /** How late the event loop runs; with it the overall cap adapts below `concurrency` (see load.ts). */
  readonly loop?: LoopGauge;
  /** The most a host's limit grows to, unless its profile or `hosts` says otherwise. */
  readonly hostConcurrency: number;
  /** Fixed per-host limits; they override the built-in profiles. */
  readonly hosts?: Readonly<Record<string, HostConfig>>;
  /** Milliseconds since some origin (default `performance.now`). */
  readonly now?: () => number;
  /** A request is stuck once it has waited this many times the host's usual answer time (default 8). */
  readonly stuckFactor?: number;
  /** …and at least this long, in milliseconds (default 2 000). */
  readonly stuckFloorMs?: number;
}

/** How much the latest answer time counts in a host's running average. */
const smoothing = 0.3;
/** Answers a host must give before its latency can be judged as rising. */
const latencySamples = 4;

/** Runs tasks under a global cap and adaptive per-host caps, longest queue first. */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #hosts = new Map<string, HostState>();
  #order: string[] = [];
  #cursor = 0;
  #inFlight = 0;
  /** Of those, the stuck ones: they count against `concurrency`, not against the adaptive cap. */
  #stuck = 0;
  readonly #cap: OverallCap;

  /** Creates a scheduler with the given caps. */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#cap = new OverallCap(options.concurrency, options.loop, () => this.#now());
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
        const round = state.round;
        round.running += 1;
        const opening = state.opening;
        if (opening !== undefined) {
          opening.started += 1;
          opening.pending += 1;
        }
        // The host holds this request and the others running (stuck ones are not load, as for the limit).
        const probe = opening === undefined && state.inFlight > state.confirmed;
        if (probe) state.probes += 1;
        const slot: Slot = {
          started: this.#now(),
          round,
          opening,
          ahead: [...state.running].filter((other) => !other.stuck),
          probe,
          answered: false,
          settled: false,
          refused: false,
          stuck: false,
          done: false,
        };
        state.running.add(slot);
        const feedback = this.#feedback(state, slot);
        const watch = this.#watch(state, slot);
        // The slot is given back before the caller hears the result, so what the caller does next
        // (another request to the host) is not counted as running beside this one.
        task(feedback)
          .finally(() => {
            slot.done = true;
            state.running.delete(slot);
            forgetAhead(state, slot);
            unblock(state, slot);
            clearTimeout(watch.timer);
            if (slot.stuck) {
              state.stuck -= 1;
              this.#stuck -= 1;
            } else state.inFlight -= 1;
            round.running -= 1;
            if (round !== state.round) state.olderRunning -= 1;
            this.#inFlight -= 1;
            this.#pump();
          })
          .then(resolve, reject);
      });
      this.#pump();
    });
  }

  /** The current limit of a host (its cap before any request). */
  limitOf(host: string): number {
    return this.#state(host).limit;
  }

  /** The overall cap now: `concurrency`, or less while the event loop lags. */
  get overallCap(): number {
    return this.#cap.value;
  }

  /** The most tasks that ever ran at once for a host. */
  maxInFlightOf(host: string): number {
    return this.#hosts.get(host)?.maxInFlight ?? 0;
  }

  #now(): number {
    return (this.#options.now ?? performance.now.bind(performance))();
  }

  /**
   * Watches a running request: once it has waited for headers far longer than its host usually
   * takes, it stops counting against the host's limit (while fewer than `maxStuck` do).
   */
  #watch(state: HostState, slot: Slot): { timer?: ReturnType<typeof setTimeout> } {
    const watch: { timer?: ReturnType<typeof setTimeout> } = {};
    const floor = this.#options.stuckFloorMs ?? 2_000;
    const after = Math.max(floor, (this.#options.stuckFactor ?? 8) * (state.latency ?? 0));
    const check = (): void => {
      if (slot.done || slot.answered) return;
      if (state.stuck >= maxStuck) {
        watch.timer = setTimeout(check, floor);
        watch.timer.unref?.();
        return;
      }
      slot.stuck = true;
      unblock(state, slot);
      state.stuck += 1;
      this.#stuck += 1;
      state.inFlight -= 1;
      this.#pump();
    };
    watch.timer = setTimeout(check, after);
    watch.timer.unref?.();
    return watch;
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host);
    if (state === undefined) {
      const fixed = this.#options.hosts?.[host]?.concurrency;
      const profile = fixed === undefined ? profileOf(host) : undefined;
      const cap = Math.max(1, fixed ?? profile?.cap ?? this.#options.hostConcurrency);
      const start = Math.min(cap, fixed ?? profile?.start ?? startLimit);
      state = {
        cap,
        limit: Math.max(1, start),
        inFlight: 0,
        stuck: 0,
        samples: 0,
        successes: 0,
        round: { running: 0 },
        // One request at a time is never a probe; a fixed limit is the user's word for what the host takes.
        confirmed: fixed ?? 1,
        probes: 0,
        running: new Set(),
        refusals: [],
        olderRunning: 0,
        opening: fixed === undefined && start >= minOpening ? { size: start, started: 0, pending: 0 } : undefined,
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

  #feedback(state: HostState, slot: Slot): HostFeedback {
    const slowDown = (): void => {
      if (slot.round === state.round) {
        state.limit = Math.max(1, Math.floor(state.limit / 2));
        state.olderRunning += state.round.running;
        state.round = { running: 0 };
      }
      state.successes = 0;
    };
    const overloaded = (): void => {
      slowDown();
      const ceiling = refuse(state, slot);
      state.limit = Math.min(state.limit, ceiling);
      state.confirmed = Math.min(state.confirmed, ceiling);
    };
    const answered = (): void => {
      if (slot.answered) return;
      slot.answered = true;
      const took = this.#now() - slot.started;
      state.latency = state.latency === undefined ? took : state.latency + smoothing * (took - state.latency);
      state.samples += 1;
      if (state.samples >= latencySamples) state.bestLatency = Math.min(state.bestLatency ?? state.latency, state.latency);
    };
    const learn = (): void => {
      const held = heldAtArrival(slot) + 1;
      state.confirmed = Math.max(state.confirmed, Math.min(held, state.ceiling ?? held));
      if (isSlowing(state)) {
        slowDown();
        return;
      }
      // Answers to requests sent before the last decrease say nothing about the lowered limit,
      // and the refusals of that round may still be on their way.
      if (slot.round !== state.round || state.olderRunning > 0) return;
      state.successes += 1;
      if (state.successes >= state.limit && state.limit < Math.min(state.cap, state.ceiling ?? state.cap)) {
        state.limit += 1;
        state.successes = 0;
      }
    };
    // Once the outcome is known and learnt from (not merely the headers: a 429 must cut the limit
    // first), the request no longer holds back its host's opening or probes.
    const settle = (): void => {
      slot.settled = true;
      if (unblock(state, slot)) this.#pump();
    };
    return {
      answered,
      succeeded: () => {
        answered();
        learn();
        settle();
      },
      rateLimited: () => {
        answered();
        overloaded();
        settle();
      },
    };
  }

  /** Starts queued tasks, one host at a time in turn, while there is room. */
  #pump(): void {
    this.#cap.update();
    while (this.#hasRoom()) {
      const state = this.#nextReady();
      const start = state?.queue.shift();
      if (state === undefined || start === undefined) break;
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      this.#inFlight += 1;
      start();
    }
    if (!this.#hasRoom() && this.#order.some((host) => this.#isReady(this.#hosts.get(host)))) this.#cap.held();
    if (this.#inFlight === 0 && this.#order.every((host) => (this.#hosts.get(host)?.queue.length ?? 0) === 0)) this.#cap.idle();
    this.#forgetIdle();
  }

  /**
   * Whether another task may start overall: fewer than `concurrency` running, and fewer than the
   * adaptive cap not counting stuck ones (they wait on a host, not on this machine).
   */
  #hasRoom(): boolean {
    return this.#inFlight < this.#options.concurrency && this.#inFlight - this.#stuck < this.#cap.value;
  }

  /** Whether a host has a request queued and room to send it. */
  #isReady(state: HostState | undefined): state is HostState {
    if (state === undefined || state.queue.length === 0 || state.inFlight >= state.limit) return false;
    if (state.opening !== undefined) return state.opening.started < state.opening.size;
    return state.probes === 0 || state.inFlight < state.confirmed;
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
      if (!this.#isReady(state)) continue;
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
