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

describe('the overall cap', () => {
  it('is the configured concurrency when there is no gauge', () => {
    const cap = new OverallCap(64, undefined, () => 0);
    cap.update();
    expect(cap.value).toBe(64);
  });

  it('starts low and doubles each window in which it held work back while the loop kept up, up to concurrency', () => {
    let clock = 0;
    const gauge = fakeGauge();
    const cap = new OverallCap(64, gauge, () => clock);
    expect(cap.value).toBe(startCap);
    cap.update();
    expect(gauge.running).toBe(true);
    const values: number[] = [];
    for (let window = 0; window < 4; window += 1) {
      gauge.lag = lagLowMs / 2;
      cap.held();
      clock += windowMs;
      cap.update();
      values.push(cap.value);
    }
    expect(values).toEqual([32, 64, 64, 64]);
  });

  it('does not grow in a window that held nothing back, nor before the window is over', () => {
    let clock = 0;
    const gauge = fakeGauge();
    const cap = new OverallCap(64, gauge, () => clock);
    cap.update();
    clock += windowMs;
    cap.update();
    expect(cap.value).toBe(startCap);
    cap.held();
    clock += windowMs / 2;
    cap.update();
    expect(cap.value).toBe(startCap);
  });

  it('shrinks by a third each window in which the loop lagged, never below its floor', () => {
    let clock = 0;
    const gauge = fakeGauge();
    const cap = new OverallCap(64, gauge, () => clock);
    cap.update();
    const values: number[] = [];
    for (let window = 0; window < 4; window += 1) {
      gauge.lag = lagHighMs * 2;
      cap.held();
      clock += windowMs;
      cap.update();
      values.push(cap.value);
    }
    expect(values).toEqual([10, minCap, minCap, minCap]);
    // A lag between the two thresholds changes nothing.
    gauge.lag = (lagHighMs + lagLowMs) / 2;
    cap.held();
    clock += windowMs;
    cap.update();
    expect(cap.value).toBe(minCap);
  });

  it('never rises above a concurrency lower than its start, and stops the gauge while idle', () => {
    let clock = 0;
    const gauge = fakeGauge();
    const cap = new OverallCap(4, gauge, () => clock);
    expect(cap.value).toBe(4);
    cap.update();
    gauge.lag = lagHighMs * 2;
    clock += windowMs;
    cap.update();
    expect(cap.value).toBe(4);
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
