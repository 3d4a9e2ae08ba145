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
