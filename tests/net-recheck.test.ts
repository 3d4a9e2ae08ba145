import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { type CheckUrlsOptions, type RequestEvent, type UrlResult } from '../src/net/index.js';
import { tempTree } from './helpers/cli.js';
import { answer, fakeLookup, startFakeHosts, type FakeHosts } from './helpers/fake-hosts.js';
import { testNetConfig } from './helpers/net-config.js';
import { closedPortUrl } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';

let fake: FakeHosts;
beforeAll(async () => {
  fake = await startFakeHosts();
});
afterAll(() => fake.close());

/** Never answers the first `times` requests (the client's headers timeout ends them), then answers 200. */
function hangFirst(times: number) {
  return (_request: unknown, response: Parameters<typeof answer>[0], n: number): void => {
    if (n > times) answer(response, 200, {}, '<title>Here</title>');
  };
}

const base: CheckUrlsOptions = { config: testNetConfig(), userAgent: 'waymark/test', lookup: fakeLookup };

async function run(urls: string[], options: Partial<CheckUrlsOptions> = {}): Promise<{ results: UrlResult[]; heard: UrlResult[] }> {
  const heard: UrlResult[] = [];
  const { results } = await checkLinks(urls.map((url) => ({ url })), { ...base, ...options }, (result) => heard.push(result));
  return { results: urls.map((url) => results.get(url) as UrlResult), heard };
}

describe('weak failures are checked again', () => {
  it('a host that times out once and then answers gives no finding', async () => {
    fake.route('slow-once.test', '/page', hangFirst(1));
    const { results, heard } = await run([fake.url('slow-once.test', '/page')]);
    expect(results[0]?.status).toMatchObject({ kind: 'ok', status: 200 });
    // HEAD timed out; the re-check is one GET.
    expect(fake.methods('slow-once.test', '/page')).toEqual(['HEAD', 'GET']);
    expect(results[0]?.requests).toBe(2);
    // Progress hears of the URL once, with its final verdict.
    expect(heard.map((result) => result.status.kind)).toEqual(['ok']);
  });

  it('a host that resets twice is `inconclusive`, not dead', async () => {
    fake.route('resets.test', '/page', (request) => request.socket.destroy());
    const { results } = await run([fake.url('resets.test', '/page')]);
    const status = results[0]?.status;
    expect(status).toMatchObject({ kind: 'unverifiable', reason: 'inconclusive' });
    expect(status?.kind === 'unverifiable' ? status.failures?.map((failure) => failure.kind === 'net' && failure.error.kind) : undefined).toEqual([
      'reset',
      'reset',
    ]);
    expect(fake.methods('resets.test', '/page')).toEqual(['HEAD', 'GET']);
  });

  it('a strong signal on the re-check is the verdict; a success clears the first failure', async () => {
    fake.route('503-then-404.test', '/p', (_request, response, n) => answer(response, n === 1 ? 503 : 404));
    fake.route('503-then-200.test', '/p', (_request, response, n) => answer(response, n === 1 ? 503 : 200));
    const { results } = await run([fake.url('503-then-404.test', '/p'), fake.url('503-then-200.test', '/p')]);
    expect(results.map((result) => result.status)).toEqual([
      { kind: 'http-error', status: 404, redirects: [] },
      { kind: 'ok', status: 200, redirects: [] },
    ]);
    expect(fake.methods('503-then-404.test', '/p')).toEqual(['HEAD', 'GET']);
  });

  it('re-checks a weak failure while the rest of the run goes on, within the host limits', async () => {
    fake.route('flaky-early.test', '/p', (_request, response, n) => answer(response, n === 1 ? 500 : 200));
    fake.route('slow-late.test', '/p', (_request, response) => void setTimeout(() => answer(response, 200), 250));
    const events: RequestEvent[] = [];
    const { results } = await run([fake.url('flaky-early.test', '/p'), fake.url('slow-late.test', '/p')], {
      config: testNetConfig({ headersTimeout: 2_000, timeout: 2_000 }),
      onRequest: (event) => events.push(event),
    });
    expect(results.map((result) => result.status.kind)).toEqual(['ok', 'ok']);
    const order = events.map((event) => `${event.method} ${new URL(event.url).hostname} ${event.status ?? ''}`);
    // The re-check's GET (10 ms after the 500) was answered before the slow host's first answer.
    expect(order).toEqual(['HEAD flaky-early.test 500', 'GET flaky-early.test 200', 'HEAD slow-late.test 200']);
  });

  it('404 and 410 are dead at once, without a re-check', async () => {
    fake.route('gone.test', '/404', (_request, response) => answer(response, 404));
    fake.route('gone.test', '/410', (_request, response) => answer(response, 410));
    const { results } = await run([fake.url('gone.test', '/404'), fake.url('gone.test', '/410')]);
    expect(results.map((result) => result.status.kind === 'http-error' && result.status.status)).toEqual([404, 410]);
    // HEAD 404 is doubtful, so GET; 410 is believed on HEAD. Nothing more.
    expect(fake.methods('gone.test', '/404')).toEqual(['HEAD', 'GET']);
    expect(fake.methods('gone.test', '/410')).toEqual(['HEAD']);
  });

  it('a refusal is dead at once from a host that answered, and checked again from one never heard from', async () => {
    const closed = await closedPortUrl();
    const port = new URL(closed).port;
    fake.route('127.0.0.1', '/alive', (_request, response) => answer(response, 200));
    const events: RequestEvent[] = [];
    const stranger = `http://stranger.test:${port}/x`;
    const { results } = await run([fake.url('127.0.0.1', '/alive'), `${closed}x`, stranger], { onRequest: (event) => events.push(event) });
    expect(results[1]?.status).toMatchObject({ kind: 'net-error', error: { kind: 'refused' } });
    expect(results[2]?.status).toMatchObject({ kind: 'unverifiable', reason: 'inconclusive' });
    expect(events.filter((event) => event.url === `${closed}x`).map((event) => event.method)).toEqual(['HEAD']);
    expect(events.filter((event) => event.url === stranger).map((event) => event.method)).toEqual(['HEAD', 'GET']);
  });

  it('waits recheckDelay after the failure, and longer (bounded) for a host that sent Retry-After', async () => {
    fake.route('busy.test', '/p', (_request, response, n) => (n === 1 ? answer(response, 429, { 'retry-after': '1' }) : answer(response, 200)));
    fake.route('down.test', '/p', (_request, response, n) => answer(response, n === 1 ? 503 : 200));
    const waits: number[] = [];
    const options: Partial<CheckUrlsOptions> = {
      config: testNetConfig({ recheckDelay: 400 }),
      // The first check gives up on a 429 at once, so its Retry-After is left to the re-check.
      rateLimitRetries: 0,
      // A clock that stands still and a delay that only records: the waits are exactly what was asked.
      now: () => 0,
      delay: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    };
    const { results } = await run([fake.url('busy.test', '/p'), fake.url('down.test', '/p')], options);
    expect(results.map((result) => result.status.kind)).toEqual(['ok', 'ok']);
    // The 503 host's re-check waits recheckDelay; the busy host's waits its Retry-After (1 s),
    // which is within 6 × recheckDelay.
    expect(waits.sort((a, b) => a - b)).toEqual([400, 1000]);
    expect(fake.methods('busy.test', '/p')).toEqual(['HEAD', 'GET']);
  });

  it('a host asking to wait longer than a re-check would is not asked again, and its URL stays rate-limited', async () => {
    fake.route('always-busy.test', '/p', (_request, response) => answer(response, 429, { 'retry-after': '3600' }));
    const { results } = await run([fake.url('always-busy.test', '/p')]);
    expect(results[0]?.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
    expect(fake.methods('always-busy.test', '/p')).toEqual(['HEAD']);
  });

  it('a URL rate-limited on the re-check too keeps the reason `rate-limited`', async () => {
    fake.route('busy-again.test', '/p', (_request, response, n) => answer(response, 429, n === 1 ? {} : { 'retry-after': '3600' }));
    const { results } = await run([fake.url('busy-again.test', '/p')], { rateLimitRetries: 0 });
    expect(results[0]?.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
    expect(fake.methods('busy-again.test', '/p')).toEqual(['HEAD', 'GET']);
  });
});

describe('the report after a re-check', () => {
  it('says "timed out twice" as a warning, counts it unverified and calls nothing dead', async () => {
    fake.route('hangs.test', '/page', () => undefined);
    fake.route('hangs.test', '/fine', (_request, response) => answer(response, 200));
    const url = fake.url('hangs.test', '/page');
    const tree = await tempTree({ 'README.md': `[slow](${url}) and [fine](${fake.url('hangs.test', '/fine')})\n` });
    try {
      const config = { ...defaultConfig, allowPrivate: true, headersTimeout: 200, timeout: 1_000, retries: 0, recheckDelay: 10 };
      const report = await check({ cwd: tree.dir, config, io: { net: { lookup: fakeLookup } } });
      expect(report.findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.message}; ${finding.hint ?? ''}`)).toEqual([
        `unverifiable warning Cannot verify \`${url}\`: timed out twice; raise \`headersTimeout\` or \`timeout\` if the site is slow`,
      ]);
      expect(report.summary).toMatchObject({ errors: 0, warnings: 1, dead: 0, blocked: 0, unverified: 1 });
    } finally {
      await tree.cleanup();
    }
  });
});
