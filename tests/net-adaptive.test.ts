import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostProfiles, profileOf, startLimit } from '../src/net/hosts.js';
import { Scheduler, maxStuck } from '../src/net/scheduler.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';
import { fakeHost, holdTasks, quickRounds } from './helpers/scheduler-tasks.js';

describe('per-host limits that learn', () => {
  it('starts an unknown host at 4 and raises it while answers come quickly, up to its cap', async () => {
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8 });
    expect(scheduler.limitOf('fast.test')).toBe(startLimit);
    const limits = await quickRounds(scheduler, 'fast.test', 60);
    expect(Math.max(...limits)).toBe(8);
    expect(limits.at(-1)).toBe(8);
  });

  it('halves the limit when answers slow down, not only on 429', async () => {
    let clock = 0;
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8, now: () => clock });
    const answer = (ms: number) =>
      scheduler.run('slowing.test', async (feedback) => {
        clock += ms;
        feedback.succeeded();
      });
    for (let i = 0; i < 40; i += 1) await answer(20);
    expect(scheduler.limitOf('slowing.test')).toBe(8);
    for (let i = 0; i < 6; i += 1) await answer(2_000);
    expect(scheduler.limitOf('slowing.test')).toBeLessThanOrEqual(4);
  });

  it('grows a host back after a 429, but never to the number in flight at which it refused', async () => {
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8 });
    // A host that takes five: the limit climbs past five, draws a 429, and settles on five.
    const log = await fakeHost(scheduler, 'strict.test', 5, 300);
    expect(log.refused).toBeGreaterThan(0);
    expect(log.maxInFlight).toBe(6);
    expect(log.beyondAfterRefusal).toBe(0);
    expect(scheduler.limitOf('strict.test')).toBe(5);
    const again = await fakeHost(scheduler, 'strict.test', 5, 200);
    expect(again).toEqual({ refused: 0, beyondAfterRefusal: 0, maxInFlight: 5 });
  });

  it('sends a host that takes two nothing past two once it has refused one, from any starting limit', async () => {
    for (const hostConcurrency of [2, 3, 4, 8]) {
      const scheduler = new Scheduler({ concurrency: 64, hostConcurrency });
      const log = await fakeHost(scheduler, 'two.test', 2, 120);
      expect(log.beyondAfterRefusal).toBe(0);
      expect(scheduler.limitOf('two.test')).toBe(2);
    }
  });

  it('ignores the jitter of a fast host (a few ms more is not "slowing down")', async () => {
    let clock = 0;
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8, now: () => clock });
    for (let i = 0; i < 60; i += 1) {
      await scheduler.run('jitter.test', async (feedback) => {
        clock += i % 2 === 0 ? 2 : 15;
        feedback.succeeded();
      });
    }
    expect(scheduler.limitOf('jitter.test')).toBe(8);
  });

  it('starts known rate-limiters low from the host profile table and keeps them under its cap', async () => {
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8 });
    expect(scheduler.limitOf('github.com')).toBe(2);
    expect(scheduler.limitOf('www.linkedin.com')).toBe(1);
    const limits = await quickRounds(scheduler, 'github.com', 40);
    expect(Math.max(...limits)).toBe(profileOf('github.com')?.cap);
  });

  it('lets a configured host limit win over the profile, fixed from the first request', () => {
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 8, hosts: { 'github.com': { concurrency: 6 } } });
    expect(scheduler.limitOf('github.com')).toBe(6);
  });

  it('keeps every profile sane: starts within its cap, names are lower case', () => {
    for (const profile of hostProfiles) {
      expect(profile.start).toBeGreaterThanOrEqual(1);
      expect(profile.start).toBeLessThanOrEqual(profile.cap);
      for (const host of profile.hosts) expect(host).toBe(host.toLowerCase());
    }
    expect(profileOf('docs.example.org')).toBeUndefined();
    expect(profileOf('someone.medium.com')?.name).toBe('Medium');
  });
});

describe('a stuck request stops counting against its host', () => {
  it(`lets at most ${maxStuck} stuck requests per host stop holding a slot`, async () => {
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 2, stuckFloorMs: 40 });
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const hang = (index: number) =>
      scheduler.run('hang.test', () => {
        started.push(index);
        return new Promise<void>((resolve) => releases.push(resolve));
      });
    const runs = Array.from({ length: 6 }, (_, index) => hang(index));
    expect(started).toEqual([0, 1]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Two stuck requests were let go of; the two that took their slots are stuck too, but only two may be.
    expect(started).toEqual([0, 1, 2, 3]);
    expect(scheduler.maxInFlightOf('hang.test')).toBe(2);
    for (const release of releases) release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const release of releases) release();
    await Promise.all(runs);
    expect(started).toHaveLength(6);
  });

  it('never counts a request as stuck once its headers arrived (a long body is load, not a stall)', async () => {
    const scheduler = new Scheduler({ concurrency: 64, hostConcurrency: 1, stuckFloorMs: 30 });
    const started: string[] = [];
    let release = (): void => undefined;
    const slow = scheduler.run('body.test', async (feedback) => {
      started.push('slow');
      feedback.answered();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const next = scheduler.run('body.test', async () => void started.push('next'));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(started).toEqual(['slow']);
    release();
    await Promise.all([slow, next]);
    expect(started).toEqual(['slow', 'next']);
  });
});

describe('against a real server where some URLs never answer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('checks the healthy URLs of a host while its hung URLs wait out the headers timeout', async () => {
    const config = testNetConfig({ hostConcurrency: 2, headersTimeout: 1_500, timeout: 3_000 });
    const urls = [
      ...Array.from({ length: 2 }, (_, index) => ({ url: server.url(`/slow-headers?n=${index}`) })),
      ...Array.from({ length: 10 }, (_, index) => ({ url: server.url(`/ok?n=${index}`) })),
    ];
    const finished: number[] = [];
    const started = Date.now();
    const run = await checkLinks(urls, { config, userAgent: 'waymark/test', delay: async () => undefined }, (result) => {
      if (result.url.includes('/ok')) finished.push(Date.now() - started);
    });
    const ok = [...run.results.values()].filter((result) => result.status.kind === 'ok');
    expect(ok).toHaveLength(10);
    // Both slots were held by hung requests; the healthy URLs finished long before the headers timeout.
    expect(Math.max(...finished)).toBeLessThan(1_400);
  });
});
