import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker, defaultUserAgent, type RequestEvent, type UrlChecker } from '../src/net/index.js';
import { testNetConfig } from './helpers/net-config.js';
import { closedPortUrl, startServer, type TestServer } from './helpers/server.js';

const config = testNetConfig({ concurrency: 64, hostConcurrency: 4, retries: 2 });

let server: TestServer;
let checker: UrlChecker;
const waits: number[] = [];
const events: RequestEvent[] = [];
const userAgent = defaultUserAgent('0.0.0-test');

beforeAll(async () => {
  server = await startServer();
  checker = createUrlChecker({
    config,
    userAgent,
    delay: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    onRequest: (event) => events.push(event),
  });
});

afterAll(async () => {
  await checker.close();
  await server.close();
});

/** Checks a path on the test server; every check also proves the host limit held. */
async function check(path: string, fragments?: readonly string[]) {
  const result = await checker.check(server.url(path), fragments === undefined ? {} : { fragments });
  expect(server.maxInFlight).toBeLessThanOrEqual(config.hostConcurrency);
  return result;
}

describe('verdicts per route', () => {
  it('accepts a 200 with one HEAD request', async () => {
    const result = await check('/ok');
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.log.filter((record) => record.path === '/ok')).toEqual([
      expect.objectContaining({ method: 'HEAD', path: '/ok' }),
    ]);
    expect(result.requests).toBe(1);
  });

  it('reports every request with its method and outcome', async () => {
    await check('/head-405?events');
    expect(events.filter((event) => event.url.endsWith('/head-405?events'))).toEqual([
      expect.objectContaining({ method: 'HEAD', status: 405 }),
      expect.objectContaining({ method: 'GET', status: 200 }),
    ]);
  });

  it('sends the configured User-Agent', async () => {
    await check('/ok?agent');
    expect(server.log.find((record) => record.path === '/ok?agent')?.userAgent).toBe(userAgent);
  });

  it('reports 404 as an HTTP error after confirming it with GET', async () => {
    const result = await check('/status/404');
    expect(result.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
    expect(server.log.filter((record) => record.path === '/status/404').map((record) => record.method)).toEqual([
      'HEAD',
      'GET',
    ]);
  });

  it('takes 410 Gone from HEAD alone: no server sends it for a HEAD it cannot handle', async () => {
    const result = await check('/status/410');
    expect(result.status).toEqual({ kind: 'http-error', status: 410, redirects: [] });
    expect(server.log.filter((record) => record.path === '/status/410').map((record) => record.method)).toEqual(['HEAD']);
  });

  it('retries a 500 twice with GET after backoff, then reports it', async () => {
    const result = await check('/status/500');
    expect(result.status).toEqual({ kind: 'http-error', status: 500, redirects: [] });
    expect(server.log.filter((record) => record.path === '/status/500').map((record) => record.method)).toEqual([
      'HEAD',
      'GET',
      'GET',
    ]);
  });

  it('marks 401 as unverifiable, not dead', async () => {
    const result = await check('/status/401');
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'auth-required', status: 401 });
    expect(server.count('/status/401')).toBe(1);
  });

  it.each([301, 302, 307, 308])('follows a %i and records it in the chain', async (status) => {
    const result = await check(`/redirect/${status}?to=/chain/0`);
    expect(result.status).toEqual({
      kind: 'ok',
      status: 200,
      redirects: [{ status, from: server.url(`/redirect/${status}?to=/chain/0`), to: server.url('/chain/0') }],
    });
    expect(server.count(`/redirect/${status}`)).toBe(1);
  });

  it('stops a redirect loop', async () => {
    const result = await check('/loop/a');
    expect(result.status.kind === 'net-error' && result.status.error.kind).toBe('redirect-loop');
    expect(result.status.kind === 'net-error' && result.status.redirects.length).toBe(2);
    expect(server.count('/loop/a')).toBe(1);
    expect(server.count('/loop/b')).toBe(1);
  });

  it('follows a chain of 10 redirects', async () => {
    const before = server.log.length;
    const result = await check('/chain/10');
    expect(result.status.kind === 'ok' && result.status.redirects.length).toBe(10);
    expect(server.log.length - before).toBe(11);
  });

  it('gives up on the 11th redirect', async () => {
    const before = server.log.length;
    const result = await check('/chain/11');
    expect(result.status.kind === 'net-error' && result.status.error.kind).toBe('too-many-redirects');
    expect(server.log.length - before).toBe(11);
  });

  it('waits out 429 with Retry-After, then succeeds', async () => {
    waits.length = 0;
    const result = await check('/rate-limit/a?times=2&after=3');
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.count('/rate-limit/a')).toBe(3);
    expect(waits.filter((ms) => ms === 3_000)).toHaveLength(2);
  });

  it('marks a Retry-After beyond the cap as rate-limited, not dead', async () => {
    const result = await check('/rate-limit/b?times=1&after=120');
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
    expect(server.count('/rate-limit/b')).toBe(1);
  });

  it('retries a 503 until it recovers', async () => {
    const result = await check('/unavailable/a?times=2');
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.log.filter((record) => record.path.startsWith('/unavailable/a')).map((record) => record.method)).toEqual(
      ['HEAD', 'GET', 'GET'],
    );
  });

  it('obeys Retry-After on a 503', async () => {
    waits.length = 0;
    const result = await check('/unavailable/c?times=1&after=2');
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.count('/unavailable/c')).toBe(2);
    expect(waits).toContain(2_000);
  });

  it('reports a 503 that outlasts the retries', async () => {
    const result = await check('/unavailable/b?times=9');
    expect(result.status).toEqual({ kind: 'http-error', status: 503, redirects: [] });
    expect(server.count('/unavailable/b')).toBe(3);
  });

  it.each(['/head-405', '/head-404'])('falls back to GET when %s refuses HEAD', async (path) => {
    const result = await check(path);
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.log.filter((record) => record.path === path).map((record) => record.method)).toEqual(['HEAD', 'GET']);
  });

  it('times out on slow headers once, without retrying a timeout', async () => {
    const result = await check('/slow-headers');
    expect(result.status.kind === 'net-error' && result.status.error.kind).toBe('response-timeout');
    expect(server.log.filter((record) => record.path === '/slow-headers').map((record) => record.method)).toEqual([
      'HEAD',
    ]);
  });

  it('accepts a dripping body without reading it', async () => {
    const result = await check('/drip');
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.count('/drip')).toBe(1);
  });

  it('stops reading a dripping body at the total timeout', async () => {
    const result = await check('/drip', ['section']);
    expect(result.status.kind).toBe('ok');
    const fragment = result.fragments.get('section');
    expect(fragment?.kind === 'unverifiable' && fragment.reason).toBe('body-error');
    expect(fragment?.kind === 'unverifiable' && fragment.error?.kind).toBe('response-timeout');
    expect(server.count('/drip')).toBe(2);
  });

  it('checks a 200 MB page without downloading it', async () => {
    const result = await check('/huge');
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(server.count('/huge')).toBe(1);
  });

  it('reads at most the body cap of a 200 MB page for a fragment', async () => {
    const result = await check('/huge', ['section']);
    expect(result.status.kind).toBe('ok');
    expect(result.fragments.get('section')).toEqual({ kind: 'unverifiable', reason: 'too-large' });
    expect(server.count('/huge')).toBe(2);
  });

  it('reports a reset after two retries, the first being the GET after HEAD', async () => {
    const result = await check('/reset');
    expect(result.status.kind === 'net-error' && result.status.error.kind).toBe('reset');
    expect(server.log.filter((record) => record.path === '/reset').map((record) => record.method)).toEqual([
      'HEAD',
      'GET',
      'GET',
    ]);
  });

  it('reports a closed port as refused', async () => {
    const url = await closedPortUrl();
    const result = await checker.check(url);
    expect(result.status.kind === 'net-error' && result.status.error.kind).toBe('refused');
    expect(result.requests).toBe(3);
  });

  it('finds ids in an HTML page and suggests a close one for a missing id', async () => {
    const result = await check('/ids?ids=installation,usage', ['usage', 'instalation', 'top']);
    expect(result.status.kind).toBe('ok');
    expect(Object.fromEntries(result.fragments)).toEqual({
      usage: { kind: 'found' },
      instalation: { kind: 'missing', suggestion: 'installation' },
      top: { kind: 'found' },
    });
    expect(server.log.filter((record) => record.path.startsWith('/ids')).map((record) => record.method)).toEqual([
      'GET',
    ]);
  });
});
