import type { HostFeedback, Scheduler } from '../../src/net/scheduler.js';

/** A running task the test answers by hand: its host feedback, and the release that ends it. */
export interface HeldTask {
  readonly feedback: HostFeedback;
  readonly release: () => void;
}

/** Runs tasks on `scheduler` that stay running until released; `held` lists them in the order they started. */
export function holdTasks(scheduler: Scheduler): { held: HeldTask[]; hold: (host: string) => Promise<void> } {
  const held: HeldTask[] = [];
  const hold = (host: string): Promise<void> =>
    scheduler.run(host, (feedback) => new Promise<void>((release) => held.push({ feedback, release })));
  return { held, hold };
}

/** Runs `rounds` tasks on `host` one after another, each answering at once; returns the host's limit after each. */
export async function quickRounds(scheduler: Scheduler, host: string, rounds: number): Promise<number[]> {
  const limits: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    await scheduler.run(host, async (feedback) => feedback.succeeded());
    limits.push(scheduler.limitOf(host));
  }
  return limits;
}

/** What a host run by {@link fakeHost} saw. */
export interface FakeHostLog {
  /** Requests it refused with a 429. */
  refused: number;
  /** Requests that reached it past what it takes after it had refused one. */
  beyondAfterRefusal: number;
  /** The most it held at once. */
  maxInFlight: number;
}

/**
 * Sends `requests` tasks at once to a host that takes `takes` at a time: each answers after `ms`
 * milliseconds, with a 429 when it arrived past the limit. The host sees exactly what the
 * scheduler sends (no answer is read late), so none should reach it past its limit once it has
 * refused one.
 */
export async function fakeHost(scheduler: Scheduler, host: string, takes: number, requests: number, ms = 1): Promise<FakeHostLog> {
  const log: FakeHostLog = { refused: 0, beyondAfterRefusal: 0, maxInFlight: 0 };
  let running = 0;
  const one = (): Promise<void> =>
    scheduler.run(host, async (feedback) => {
      running += 1;
      log.maxInFlight = Math.max(log.maxInFlight, running);
      const refuse = running > takes;
      if (refuse && log.refused > 0) log.beyondAfterRefusal += 1;
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      if (refuse) {
        log.refused += 1;
        feedback.rateLimited();
      } else feedback.succeeded();
    });
  await Promise.all(Array.from({ length: requests }, one));
  return log;
}
