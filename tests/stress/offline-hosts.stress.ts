/**
 * Offline detection tries every linked host name (issue 9, item 3): at 20,000 dead names it still
 * answers quickly, and a single live name at the end is found.
 */
import { describe, expect, it } from 'vitest';
import { judgeNetwork, type Lookup } from '../../src/net/index.js';

const count = 20_000;

describe('offline detection at scale', () => {
  it(`judges ${count} dead names and finds the one live name last`, async () => {
    const tried = new Set<string>();
    const lookup: Lookup = async (hostname) => {
      tried.add(hostname);
      await new Promise((resolve) => setImmediate(resolve));
      if (hostname === 'live.example.test') return [{ address: '140.82.112.3', family: 4 }];
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    };
    const dead = Array.from({ length: count }, (_, index) => `gone-${index}.example.test`);
    const started = Date.now();
    expect(await judgeNetwork(dead, { lookup })).toMatchObject({ offline: true });
    expect(tried.size).toBe(count);
    expect(await judgeNetwork([...dead, 'live.example.test'], { lookup })).toMatchObject({ offline: false });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
