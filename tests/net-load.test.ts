import { describe, expect, it } from 'vitest';
import { eventLoopGauge, lagHighMs, lagLowMs, minCap, OverallCap, startCap, windowMs, type LoopGauge } from '../src/net/load.js';
import { Scheduler } from '../src/net/scheduler.js';

/** A gauge whose lag the test sets, recording when it is started and stopped. */
function fakeGauge(): LoopGauge & { lag: number; running: boolean } {
  const gauge = {
    lag: 0,
    running: false,
    start: () => {
      gauge.running = true;
    },
    stop: () => {
      gauge.running = false;
    },
    read: () => gauge.lag,
  };
  return gauge;
}

/** A started cap over a fake gauge and clock; `windows` runs windows that held work back at a given lag, returning the cap after each. */
function startedCap(max: number) {
  let clock = 0;
  const gauge = fakeGauge();
  const cap = new OverallCap(max, gauge, () => clock);
  const initial = cap.value;
  cap.update();
  const windows = (count: number, lag: number): number[] =>
    Array.from({ length: count }, () => {
      gauge.lag = lag;
      cap.held();
      clock += windowMs;
      cap.update();
      return cap.value;
    });
  return { cap, gauge, initial, windows, advance: (ms: number) => (clock += ms) };
}

describe('the overall cap', () => {
  it('is the configured concurrency when there is no gauge', () => {
    const cap = new OverallCap(64, undefined, () => 0);
    cap.update();
    expect(cap.value).toBe(64);
  });

  it('starts low and doubles each window in which it held work back while the loop kept up, up to concurrency', () => {
    const { gauge, initial, windows } = startedCap(64);
    expect(initial).toBe(startCap);
    expect(gauge.running).toBe(true);
    expect(windows(4, lagLowMs / 2)).toEqual([32, 64, 64, 64]);
  });

  it('does not grow in a window that held nothing back, nor before the window is over', () => {
    const { cap, advance } = startedCap(64);
    advance(windowMs);
    cap.update();
    expect(cap.value).toBe(startCap);
    cap.held();
    advance(windowMs / 2);
    cap.update();
    expect(cap.value).toBe(startCap);
  });

  it('shrinks by a third each window in which the loop lagged, never below its floor', () => {
    const { windows } = startedCap(64);
    expect(windows(4, lagHighMs * 2)).toEqual([10, minCap, minCap, minCap]);
    // A lag between the two thresholds changes nothing.
    expect(windows(1, (lagHighMs + lagLowMs) / 2)).toEqual([minCap]);
  });

  it('never rises above a concurrency lower than its start, and stops the gauge while idle', () => {
    const { cap, gauge, initial, windows } = startedCap(4);
    expect(initial).toBe(4);
    expect(windows(1, lagHighMs * 2)).toEqual([4]);
    cap.idle();
    expect(gauge.running).toBe(false);
    cap.update();
    expect(gauge.running).toBe(true);
  });
});

describe("Node's event-loop gauge", () => {
  it('reads a stalled loop as lag, and the windows after it as their own', async () => {
    const gauge = eventLoopGauge();
    gauge.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      gauge.read();
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          const until = performance.now() + 200;
          while (performance.now() < until);
          resolve();
        }, 20),
      );
      await new Promise((resolve) => setTimeout(resolve, 60));
      const stalled = gauge.read();
      expect(stalled).toBeGreaterThan(lagHighMs);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(gauge.read()).toBeLessThan(stalled);
    } finally {
      gauge.stop();
    }
  });
});

describe('the scheduler under the overall cap', () => {
  it('starts no more at once than the cap, and fewer once the loop lags, whatever the hosts could take', async () => {
    let clock = 0;
    const gauge = fakeGauge();
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8, loop: gauge, now: () => clock });
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      new Promise<void>((resolve) => {
        running += 1;
        most = Math.max(most, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      });
    // Forty hosts, two requests each: the hosts alone would take all eighty.
    const runs = Array.from({ length: 80 }, (_, index) => scheduler.run(`h${index % 40}.test`, task));
    expect(running).toBe(startCap);
    gauge.lag = lagHighMs * 2;
    clock += windowMs;
    for (let i = 0; i < 8; i += 1) releases.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(scheduler.overallCap).toBe(10);
    expect(running).toBe(10);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await Promise.all(runs);
    expect(most).toBe(startCap);
    expect(gauge.running).toBe(false);
  });
});
