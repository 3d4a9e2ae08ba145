import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker } from '../src/net/index.js';
import { Scheduler, type HostFeedback } from '../src/net/scheduler.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';
import { holdTasks, quickRounds } from './helpers/scheduler-tasks.js';

const config = testNetConfig({ concurrency: 64, hostConcurrency: 3, headersTimeout: 2_000, timeout: 4_000, retries: 2 });
const base = { config, userAgent: 'waymark/test', delay: async () => undefined };

/** Lets finished tasks settle and the scheduler start what they made room for. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A task that stays running until released, recording when it started. */
function gate(started: string[], name: string) {
  let release = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    task: async (): Promise<void> => {
      started.push(name);
      await done;
    },
    release: () => release(),
  };
}

describe('Scheduler', () => {
  it('never lets a busy host hold more than its limit, so other hosts run beside it', async () => {
    const scheduler = new Scheduler({ concurrency: 3, hostConcurrency: 2 });
    const started: string[] = [];
    const busy = Array.from({ length: 4 }, (_, index) => gate(started, `a${index}`));
    const other = gate(started, 'b0');
    const runs = [...busy.map(({ task }) => scheduler.run('a.test', task)), scheduler.run('b.test', other.task)];
    expect(started).toEqual(['a0', 'a1', 'b0']);
    for (const { release } of [...busy, other]) release();
    await Promise.all(runs);
    expect(started).toHaveLength(5);
    expect(scheduler.maxInFlightOf('a.test')).toBe(2);
  });

  it('gives a freed slot to the host with the longest queue, round-robin among equals', async () => {
    // Limits fixed by config, so no host waits on a probe (see below): this is about dispatch order.
    const hosts = { 'a.test': { concurrency: 2 }, 'b.test': { concurrency: 2 }, 'c.test': { concurrency: 2 } };
    const scheduler = new Scheduler({ concurrency: 2, hostConcurrency: 2, hosts });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const runs: Promise<void>[] = [];
    const add = (host: string, name: string): void => {
      const entry = gate(started, name);
      gates.set(name, entry);
      runs.push(scheduler.run(host, entry.task));
    };
    for (const name of ['a0', 'a1', 'a2', 'a3', 'a4']) add('a.test', name);
    for (const name of ['b0', 'b1']) add('b.test', name);
    add('c.test', 'c0');
    add('c.test', 'c1');
    expect(started).toEqual(['a0', 'a1']);
    gates.get('a0')?.release();
    await settle();
    expect(started.at(-1)).toBe('a2'); // a's three waiting outnumber b's two and c's two
    gates.get('a1')?.release();
    await settle();
    expect(started.at(-1)).toBe('b0'); // two each: the ring moves on from a to b
    gates.get('a2')?.release();
    await settle();
    expect(started.at(-1)).toBe('c0'); // a and c tie at two, b has one: the ring reaches c first
    for (const entry of gates.values()) entry.release();
    await Promise.all(runs);
    expect(started).toHaveLength(9);
  });

  it('halves a host limit once per round of 429s and never grows it back to the number in flight that drew them', async () => {
    const scheduler = new Scheduler({ concurrency: 10, hostConcurrency: 4 });
    const { held, hold } = holdTasks(scheduler);
    const runs = Array.from({ length: 4 }, () => hold('a.test'));
    await settle();
    expect(held).toHaveLength(4);
    // A host that takes two at once: the first two succeed, the third and fourth drew 429s.
    held.forEach(({ feedback }, index) => (index < 2 ? feedback.succeeded() : feedback.rateLimited()));
    for (const { release } of held) release();
    await Promise.all(runs);
    expect(scheduler.limitOf('a.test')).toBe(2);
    const observed = await quickRounds(scheduler, 'a.test', 40);
    // Two were running when each refused one started: the host is never sent 3 at once again.
    expect(Math.max(...observed)).toBe(2);
  });

  it('counts, for a refusal, only the requests running when the refused one was sent, so later ones cannot talk the limit up', async () => {
    const scheduler = new Scheduler({ concurrency: 10, hostConcurrency: 4 });
    const { held, hold } = holdTasks(scheduler);
    const answer = async (index: number, refused: boolean): Promise<void> => {
      const entry = held[index];
      if (refused) entry?.feedback.rateLimited();
      else entry?.feedback.succeeded();
      entry?.release();
      await settle();
    };
    // The opening: four at once, all answered, so the host is known to take four.
    const opening = Array.from({ length: 4 }, () => hold('late.test'));
    await settle();
    for (const index of [0, 1, 2, 3]) await answer(index, false);
    await Promise.all(opening);
    const runs = Array.from({ length: 5 }, () => hold('late.test'));
    await settle();
    expect(held).toHaveLength(8); // four at once again, within what the host took
    await answer(4, false);
    expect(held).toHaveLength(9); // the freed slot is refilled: four running
    // The host refuses the third of the four: two were running when it was sent, so it takes two,
    // although four were running when the refusal came back.
    await answer(6, true);
    expect(scheduler.limitOf('late.test')).toBe(2);
    for (const index of [5, 7, 8]) await answer(index, false);
    await Promise.all(runs);
    const limits = await quickRounds(scheduler, 'late.test', 40);
    expect(Math.max(...limits)).toBe(2);
  });

  it('sends one request past the most a host has been seen to take, and nothing more until it is answered', async () => {
    const scheduler = new Scheduler({ concurrency: 10, hostConcurrency: 8 });
    await quickRounds(scheduler, 'probe.test', 40); // one at a time: the limit grows, the host has only ever held one
    expect(scheduler.limitOf('probe.test')).toBe(8);
    const { held, hold } = holdTasks(scheduler);
    const runs = Array.from({ length: 6 }, () => hold('probe.test'));
    await settle();
    expect(held).toHaveLength(2); // one, and a probe at two
    held[1]?.feedback.succeeded();
    await settle();
    expect(held).toHaveLength(3); // two held at once: the next probe goes to three
    // The host refuses the probe at three (a 429 that, read late, would otherwise let more through).
    held[2]?.feedback.rateLimited();
    held[2]?.release();
    await settle();
    expect(scheduler.limitOf('probe.test')).toBe(2);
    expect(held).toHaveLength(3); // two still running: nothing more at a host that takes two
    for (let index = 0; index < held.length; index += 1) {
      if (index !== 2) held[index]?.feedback.succeeded();
      held[index]?.release();
      await settle();
    }
    await Promise.all(runs);
    expect(scheduler.maxInFlightOf('probe.test')).toBe(3);
  });

  it('sends a new host nothing past its opening until each first request is answered, so a refusal read late stops the refill', async () => {
    const scheduler = new Scheduler({ concurrency: 10, hostConcurrency: 8 });
    const { held, hold } = holdTasks(scheduler);
    const runs = Array.from({ length: 8 }, () => hold('new.test'));
    await settle();
    expect(held).toHaveLength(4);
    // The host takes two: it answers two and refuses two, but the refusals are read last.
    for (const index of [0, 1]) {
      held[index]?.feedback.succeeded();
      held[index]?.release();
    }
    await settle();
    expect(held).toHaveLength(4); // refilling these two slots would put three at a host that takes two
    for (const index of [2, 3]) {
      held[index]?.feedback.rateLimited();
      held[index]?.release();
    }
    await settle();
    expect(scheduler.limitOf('new.test')).toBe(2);
    expect(held).toHaveLength(6);
    for (const entry of held.slice(4)) {
      entry.feedback.succeeded();
      entry.release();
    }
    await settle();
    for (const entry of held.slice(6)) entry.release();
    await Promise.all(runs);
    expect(scheduler.limitOf('new.test')).toBe(2);
  });

  it('gives no opening to a host whose limit the config fixes: a freed slot is refilled at once', async () => {
    const scheduler = new Scheduler({ concurrency: 10, hostConcurrency: 8, hosts: { 'fixed.test': { concurrency: 4 } } });
    const { held, hold } = holdTasks(scheduler);
    const runs = Array.from({ length: 6 }, () => hold('fixed.test'));
    await settle();
    expect(held).toHaveLength(4);
    held[0]?.feedback.succeeded();
    held[0]?.release();
    await settle();
    expect(held).toHaveLength(5);
    for (const entry of held) entry.release();
    await settle();
    for (const entry of held) entry.release();
    await Promise.all(runs);
  });

  it('uses the per-host override as that host\u2019s cap', () => {
    const scheduler = new Scheduler({ concurrency: 10, hostConcurrency: 4, hosts: { 'slow.test': { concurrency: 1 } } });
    expect(scheduler.limitOf('slow.test')).toBe(1);
    expect(scheduler.limitOf('fast.test')).toBe(4);
  });
});

describe('politeness against real servers', () => {
  let first: TestServer;
  let second: TestServer;
  let busy: TestServer;

  beforeAll(async () => {
    first = await startServer();
    second = await startServer({ host: '127.0.0.2' });
    busy = await startServer({ host: '127.0.0.4', cap: 2 });
  });

  afterAll(async () => {
    await Promise.all([first.close(), second.close(), busy.close()]);
  });

  it('keeps each host within its limit while running hosts in parallel', async () => {
    const urls = [first, second].flatMap((server) =>
      Array.from({ length: 12 }, (_, index) => ({ url: server.url(`/ok?delay=60&n=${index}`) })),
    );
    const run = await checkLinks(urls, base);
    expect([...run.results.values()].every((result) => result.status.kind === 'ok')).toBe(true);
    expect(first.count('/ok')).toBe(12);
    expect(second.count('/ok')).toBe(12);
    expect(first.maxInFlight).toBeLessThanOrEqual(3);
    expect(second.maxInFlight).toBeLessThanOrEqual(3);
    expect(first.maxInFlight).toBeGreaterThan(1);
  });

  it('dedupes 100 links to one URL into one request', async () => {
    const url = first.url('/ids?ids=intro');
    const links = Array.from({ length: 100 }, (_, index) => ({
      url: index % 2 === 0 ? url : `${url.replace('http://', 'HTTP://')}#intro`,
    }));
    const seen: string[] = [];
    const run = await checkLinks(links, base, (result) => seen.push(result.url));
    expect(run.results.size).toBe(1);
    expect(seen).toEqual([url]);
    expect(first.count('/ids')).toBe(1);
    expect(run.results.get(url)?.fragments.get('intro')).toEqual({ kind: 'found' });
  });

  it('adapts to a host that answers 429 beyond two in flight, never exceeding the cap', async () => {
    const checker = createUrlChecker({ ...base, config: { ...config, hostConcurrency: 4 } });
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, index) => checker.check(busy.url(`/busy?delay=40&n=${index}`))),
      );
      expect(results.every((result) => result.status.kind === 'ok')).toBe(true);
      expect(busy.maxInFlight).toBeLessThanOrEqual(4);
      expect(checker.maxInFlightOf('127.0.0.4')).toBeLessThanOrEqual(4);
      expect(checker.limitOf('127.0.0.4')).toBeLessThanOrEqual(4);
      expect(busy.count('/busy')).toBeGreaterThan(24); // some 429s were answered and retried
    } finally {
      await checker.close();
    }
  });
});

describe('Scheduler: work under way first', () => {
  it('puts a resumed task (a retry or redirect hop) ahead of its host\u2019s waiting tasks', async () => {
    const scheduler = new Scheduler({ concurrency: 1, hostConcurrency: 1 });
    const started: string[] = [];
    const first = gate(started, 'first');
    const runs = [scheduler.run('a.test', first.task)];
    const waiting = ['second', 'third'].map((name) => gate(started, name));
    for (const entry of waiting) runs.push(scheduler.run('a.test', entry.task));
    const hop = gate(started, 'hop');
    runs.push(scheduler.run('a.test', hop.task, true));
    first.release();
    await settle();
    expect(started).toEqual(['first', 'hop']);
    for (const entry of [...waiting, hop]) entry.release();
    await Promise.all(runs);
    expect(started).toEqual(['first', 'hop', 'second', 'third']);
  });
});
