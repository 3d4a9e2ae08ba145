import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { type UrlResult } from '../src/net/index.js';
import { botWalls, matchWall } from '../src/net/walls.js';
import { tempTree } from './helpers/cli.js';
import { answer, fakeLookup, startFakeHosts, type FakeHosts } from './helpers/fake-hosts.js';
import { testNetConfig } from './helpers/net-config.js';
import { checkLinks } from './helpers/engine.js';

let fake: FakeHosts;
beforeAll(async () => {
  fake = await startFakeHosts();
});
afterAll(() => fake.close());

const challenge = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>';
const robot = '<html><head><title>Amazon.com</title></head><body><p>To discuss automated access to Amazon data please contact api-services-support@amazon.com.</p></body></html>';

/** Checks URLs as a whole run does (re-check included), with a few retries to show none is spent on a wall. */
async function run(...urls: string[]): Promise<UrlResult[]> {
  const { results } = await checkLinks(
    urls.map((url) => ({ url })),
    { config: testNetConfig({ retries: 2 }), userAgent: 'waymark/test', lookup: fakeLookup, retryBase: 1 },
  );
  return urls.map((url) => {
    const result = results.get(url);
    if (result === undefined) throw new Error(`no result for ${url}`);
    return result;
  });
}

function blocked(result: UrlResult): string | undefined {
  return result.status.kind === 'unverifiable' && result.status.reason === 'blocked' ? result.status.wall : undefined;
}

describe('known bot walls are blocked, never dead, never retried', () => {
  it('a `cf-mitigated: challenge` answer is a Cloudflare challenge, after HEAD and one GET', async () => {
    fake.route('cf.test', '/page', (_request, response) => answer(response, 403, { 'cf-mitigated': 'challenge', server: 'cloudflare' }, challenge));
    const [result] = await run(fake.url('cf.test', '/page'));
    expect(result?.status).toEqual({ kind: 'unverifiable', reason: 'blocked', status: 403, wall: 'a Cloudflare challenge' });
    expect(fake.methods('cf.test', '/page')).toEqual(['HEAD', 'GET']);
  });

  it("Cloudflare's 503 \"Just a moment...\" page is read with one GET and not retried as a 5xx", async () => {
    fake.route('moment.test', '/', (_request, response) => answer(response, 503, { server: 'cloudflare' }, challenge));
    // The same status and server without the challenge page is an ordinary 503: retried, then re-checked.
    fake.route('plain503.test', '/', (_request, response) => answer(response, 503, { server: 'cloudflare' }, '<title>Down</title>'));
    const [wall, plain] = await run(fake.url('moment.test', '/'), fake.url('plain503.test', '/'));
    expect(blocked(wall as UrlResult)).toBe('a Cloudflare challenge');
    expect(fake.methods('moment.test', '/')).toEqual(['HEAD', 'GET']);
    expect(plain?.status).toMatchObject({ kind: 'unverifiable', reason: 'inconclusive' });
    expect(fake.methods('plain503.test', '/')).toEqual(['HEAD', 'GET', 'GET', 'GET', 'GET']);
  });

  it("LinkedIn's 999 is LinkedIn's wall on its hosts only; a 999 elsewhere is still a refusal, not dead", async () => {
    fake.route('www.linkedin.com', '/in/someone', (_request, response) => answer(response, 999));
    fake.route('notlinkedin.test', '/in/someone', (_request, response) => answer(response, 999));
    const [linkedin, other] = await run(fake.url('www.linkedin.com', '/in/someone'), fake.url('notlinkedin.test', '/in/someone'));
    expect(blocked(linkedin as UrlResult)).toBe("LinkedIn's bot wall");
    expect(blocked(other as UrlResult)).toBe('a 999 refusal');
    expect(fake.methods('www.linkedin.com', '/in/someone')).toEqual(['HEAD']);
    expect(fake.methods('notlinkedin.test', '/in/someone')).toEqual(['HEAD']);
  });

  it('X answers profile and post URLs with 400/403: blocked there, a plain status elsewhere on X, 404 still dead', async () => {
    for (const path of ['/someone', '/someone/status/1234567890']) fake.route('x.com', path, (_request, response) => answer(response, 400));
    fake.route('twitter.com', '/someone', (_request, response) => answer(response, 403));
    fake.route('x.com', '/i/flow/login', (_request, response) => answer(response, 400));
    fake.route('x.com', '/gone_account', (_request, response) => answer(response, 404));
    const results = await run(
      fake.url('x.com', '/someone'),
      fake.url('x.com', '/someone/status/1234567890'),
      fake.url('twitter.com', '/someone'),
      fake.url('x.com', '/i/flow/login'),
      fake.url('x.com', '/gone_account'),
    );
    expect(results.map(blocked)).toEqual(["X's bot wall", "X's bot wall", "X's bot wall", undefined, undefined]);
    expect(results[3]?.status).toEqual({ kind: 'http-error', status: 400, redirects: [] });
    expect(results[4]?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
    expect(fake.methods('x.com', '/someone')).toEqual(['HEAD', 'GET']);
  });

  it("Amazon's 503 robot page is Amazon's robot check; a 503 without it is a weak failure", async () => {
    fake.route('www.amazon.com', '/dp/B000', (_request, response) => answer(response, 503, {}, robot));
    fake.route('www.amazon.com', '/dp/B001', (_request, response) => answer(response, 503, {}, '<title>Service Unavailable</title>'));
    const [wall, down] = await run(fake.url('www.amazon.com', '/dp/B000'), fake.url('www.amazon.com', '/dp/B001'));
    expect(blocked(wall as UrlResult)).toBe("Amazon's robot check");
    expect(fake.methods('www.amazon.com', '/dp/B000')).toEqual(['HEAD', 'GET']);
    expect(down?.status).toMatchObject({ kind: 'unverifiable', reason: 'inconclusive' });
  });

  it('Medium, Stack Overflow and npm 403s are their walls; the same 403 from another host is not', async () => {
    const hosts = ['medium.com', 'someone.medium.com', 'stackoverflow.com', 'www.npmjs.com', 'medium.com.example.test'];
    for (const host of hosts) fake.route(host, '/p', (_request, response) => answer(response, 403));
    const results = await run(...hosts.map((host) => fake.url(host, '/p')));
    expect(results.map(blocked)).toEqual(["Medium's bot wall", "Medium's bot wall", "Stack Overflow's bot wall", "npm's bot wall", undefined]);
    expect(results[4]?.status).toEqual({ kind: 'http-error', status: 403, redirects: [] });
    for (const host of hosts) expect(fake.methods(host, '/p')).toEqual(['HEAD', 'GET']);
  });

  it("an AWS WAF challenge's 202 is not taken for a working page", async () => {
    fake.route('waf.test', '/', (_request, response) => answer(response, 202, { 'x-amzn-waf-action': 'challenge' }));
    const [result] = await run(fake.url('waf.test', '/'));
    expect(blocked(result as UrlResult)).toBe('an AWS WAF challenge');
    expect(fake.methods('waf.test', '/')).toEqual(['HEAD']);
  });

  it('nothing alive on a walled host is called blocked or dead', async () => {
    fake.route('www.linkedin.com', '/company/x', (_request, response) => answer(response, 200, {}, '<title>X | LinkedIn</title>'));
    fake.route('medium.com', '/ok', (_request, response) => answer(response, 200));
    const results = await run(fake.url('www.linkedin.com', '/company/x'), fake.url('medium.com', '/ok'));
    expect(results.map((result) => result.status.kind)).toEqual(['ok', 'ok']);
    expect(fake.methods('medium.com', '/ok')).toEqual(['HEAD']);
  });

  it('is reported as `unverifiable` naming the wall, and counted as blocked in the summary', async () => {
    fake.route('www.linkedin.com', '/in/reported', (_request, response) => answer(response, 999));
    const url = fake.url('www.linkedin.com', '/in/reported');
    const tree = await tempTree({ 'README.md': `[profile](${url})\n` });
    try {
      const config = { ...defaultConfig, allowPrivate: true, recheckDelay: 10 };
      const report = await check({ cwd: tree.dir, config, io: { net: { lookup: fakeLookup } } });
      expect(report.findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.message}`)).toEqual([
        `unverifiable warning Cannot verify \`${url}\`: blocked by LinkedIn's bot wall (HTTP 999)`,
      ]);
      expect(report.summary).toMatchObject({ errors: 0, warnings: 1, dead: 0, blocked: 1, unverified: 0 });
    } finally {
      await tree.cleanup();
    }
  });
});

describe('the signature table', () => {
  it('names every wall and gives each at least one status', () => {
    for (const wall of botWalls) {
      expect(wall.name).toMatch(/^(a|an) |'s /);
      expect(wall.statuses.length).toBeGreaterThan(0);
    }
  });

  it('matches host-specific entries by host name, subdomains only with a leading dot', () => {
    const at = (href: string) => matchWall(new URL(href), 403, {})?.name;
    expect(at('https://medium.com/p')).toBe("Medium's bot wall");
    expect(at('https://blog.medium.com/p')).toBe("Medium's bot wall");
    expect(at('https://notmedium.com/p')).toBeUndefined();
    expect(at('https://www.npmjs.com/package/x')).toBe("npm's bot wall");
    expect(at('https://docs.npmjs.com/x')).toBeUndefined();
  });

  it('needs the page for a body signature and does not match without it', () => {
    const url = new URL('https://site.test/');
    const headers = { server: 'cloudflare' };
    expect(matchWall(url, 503, headers)).toBeUndefined();
    expect(matchWall(url, 503, headers, { title: 'Just a moment...', text: '' })?.name).toBe('a Cloudflare challenge');
    expect(matchWall(url, 503, headers, { title: 'Maintenance', text: 'back soon' })).toBeUndefined();
  });
});
