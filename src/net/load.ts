/**
 * The overall cap on requests in flight, kept below the configured `concurrency` while Waymark's
 * own event loop lags.
 *
 * When the checker is the slow side (a fast network, a busy machine), more requests in flight do
 * not finish sooner: their answers wait in the event loop. That wait is counted as the host's
 * answer time, and slots stay taken by answers a host has already sent, so the per-host limits
 * learn from numbers the host never saw (a refusal read late lets requests past it). So the cap
 * starts at {@link startCap}, doubles each window in which it held work back while the loop kept
 * up, and shrinks by a third each window in which the loop lagged, never below {@link minCap}.
 *
 * The lag comes from a {@link LoopGauge}; {@link eventLoopGauge} is Node's own event-loop delay
 * histogram. The clock and the gauge are handed in, so tests drive both.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Reads how late the event loop runs. */
export interface LoopGauge {
  /** Begins measuring (the scheduler has work). */
  start(): void;
  /** Stops measuring (the scheduler is idle). */
  stop(): void;
  /** The mean delay in milliseconds since the last read (or start), and starts a new count. */
  read(): number;
}

/** The cap overall at the start of a run, unless `concurrency` is lower. */
export const startCap = 16;
/** The cap never shrinks below this (nor below `concurrency`, if that is lower). */
export const minCap = 8;
/** How often the cap is judged, in milliseconds. */
export const windowMs = 100;
/** A mean loop delay above this (ms) in a window shrinks the cap… */
export const lagHighMs = 8;
/** …and one below this lets it grow, if it held work back. */
export const lagLowMs = 3;

/** How often Node's event-loop delay histogram samples, in milliseconds. */
const resolutionMs = 10;

/**
 * Node's event-loop delay histogram. Each sample is the time between two runs of a 10 ms timer,
 * so the delay is a sample less 10 ms. A window's mean is taken from the running totals rather
 * than by resetting the histogram, which would drop the first sample after the reset (and with it
 * a stall that straddles the window's edge).
 */
export function eventLoopGauge(): LoopGauge {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  let count = 0;
  let total = 0;
  return {
    start: () => {
      histogram.enable();
    },
    stop: () => {
      histogram.disable();
    },
    read: () => {
      const nowCount = histogram.count;
      const nowTotal = nowCount === 0 ? 0 : (histogram.mean / 1e6) * nowCount;
      const samples = nowCount - count;
      const mean = samples > 0 ? (nowTotal - total) / samples : resolutionMs;
      count = nowCount;
      total = nowTotal;
      return Number.isFinite(mean) ? Math.max(0, mean - resolutionMs) : 0;
    },
  };
}

/** The overall cap: fixed at `max` without a gauge, adaptive with one. */
export class OverallCap {
  readonly #max: number;
  readonly #gauge: LoopGauge | undefined;
  readonly #now: () => number;
  #value: number;
  #windowStart: number | undefined;
  /** Whether, in this window, work waited for the overall cap alone. */
  #held = false;

  constructor(max: number, gauge: LoopGauge | undefined, now: () => number) {
    this.#max = Math.max(1, max);
    this.#gauge = gauge;
    this.#now = now;
    this.#value = gauge === undefined ? this.#max : Math.min(this.#max, startCap);
  }

  /** The cap now. */
  get value(): number {
    return this.#value;
  }

  /** Work waited for the overall cap (a host had room and a request queued). */
  held(): void {
    this.#held = true;
  }

  /** Called as the scheduler dispatches: judges the window once it is over. */
  update(): void {
    const gauge = this.#gauge;
    if (gauge === undefined) return;
    const now = this.#now();
    if (this.#windowStart === undefined) {
      this.#windowStart = now;
      gauge.start();
      return;
    }
    if (now - this.#windowStart < windowMs) return;
    const lag = gauge.read();
    const floor = Math.min(this.#max, minCap);
    if (lag > lagHighMs) this.#value = Math.max(floor, Math.floor((this.#value * 2) / 3));
    else if (lag < lagLowMs && this.#held) this.#value = Math.min(this.#max, this.#value * 2);
    this.#windowStart = now;
    this.#held = false;
  }

  /** The scheduler is idle: stop measuring until it has work again. */
  idle(): void {
    if (this.#windowStart === undefined) return;
    this.#windowStart = undefined;
    this.#held = false;
    this.#gauge?.stop();
  }
}
