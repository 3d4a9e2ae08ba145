/**
 * One wait budget per URL across all its redirect hops and retries (issue 9, item 6): a chain
 * whose every hop answers 429 with `Retry-After` once used to wait the full budget at each hop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker } from '../src/net/index.js';
import { testNetConfig } from './helpers/net-config.js';

const hops = 10;
let server: Server;
let origin = '';
const seen = new Map<string, number>();

beforeAll(async () => {
  // `/<chain>/hop/<n>?after=<s>`: the first request to each hop is a 429 with `Retry-After: s`,
  // the second a 302 to hop n+1; hop 10 answers 200.
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const times = (seen.get(url.pathname) ?? 0) + 1;
    seen.set(url.pathname, times);
    const match = /^\/(\w+)\/hop\/(\d+)$/.exec(url.pathname);
    const n = Number(match?.[2]);
    if (times === 1) {
      response.writeHead(429, { 'retry-after': url.searchParams.get('after') ?? '1' }).end();
    } else if (n < hops) {
      response.writeHead(302, { location: `/${match?.[1]}/hop/${n + 1}${url.search}` }).end();
    } else {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function hopsRequested(chain: string): number {
  return [...seen.keys()].filter((path) => path.startsWith(`/${chain}/`)).length;
}

describe('Retry-After wait budget', () => {
  it('spends one budget on the whole redirect chain, not one per hop', async () => {
    const checker = createUrlChecker({ config: testNetConfig(), userAgent: 'waymark/test', retryAfterCap: 1_500 });
    try {
      const started = Date.now();
      const result = await checker.check(`${origin}/budget/hop/1?after=1`);
      const elapsed = Date.now() - started;
      // Hop 1 waits 1 s; hop 2 asks for 1 s more than the 0.5 s left: rate-limited, not ten seconds of waiting.
      expect(result.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
      expect(hopsRequested('budget')).toBe(2);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      await checker.close();
    }
  });

  it('counts rate-limit retries across hops', async () => {
    const checker = createUrlChecker({ config: testNetConfig(), userAgent: 'waymark/test', rateLimitRetries: 3 });
    try {
      const result = await checker.check(`${origin}/count/hop/1?after=0`);
      expect(result.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
      // Three waits (hops 1 to 3), then hop 4's 429 is final.
      expect(hopsRequested('count')).toBe(4);
      expect(result.requests).toBe(7);
    } finally {
      await checker.close();
    }
  });

  it('still follows the chain to the end when the budget allows it', async () => {
    const checker = createUrlChecker({ config: testNetConfig(), userAgent: 'waymark/test', rateLimitRetries: hops });
    try {
      const result = await checker.check(`${origin}/enough/hop/1?after=0`);
      expect(result.status.kind).toBe('ok');
      expect(hopsRequested('enough')).toBe(hops);
    } finally {
      await checker.close();
    }
  });
});
