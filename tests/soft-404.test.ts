import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/types.js';
import { tempTree } from './helpers/cli.js';
import { answer, fakeLookup, startFakeHosts, type FakeHosts } from './helpers/fake-hosts.js';

let fake: FakeHosts;
const page = (title: string, body = ''): string => `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  fake = await startFakeHosts();
  const route = (host: string, path: string, status: number, headers: Record<string, string> = {}, body = '') =>
    fake.route(host, path, (_request, response) => answer(response, status, headers, body));
  route('site.test', '/', 200, {}, page('Acme'));
  route('www.site.test', '/', 200, {}, page('Acme'));
  route('site.test', '/docs/old-guide', 302, { location: '/' });
  route('site.test', '/blog/post', 301, { location: `http://www.site.test:${fake.port}/` });
  route('site.test', '/private/report', 302, { location: '/users/sign_in?return_to=%2Fprivate%2Freport' });
  route('site.test', '/users/sign_in', 200, {}, page('Sign in'));
  route('site.test', '/missing', 200, {}, page('Page not found · Acme', '<div id="content"><p>Nothing here.</p></div>'));
  route('site.test', '/vanished', 200, {}, page('Acme Docs', '<h1>404</h1><div id="content"></div>'));
  // Alive and unremarkable, though their words or redirects come close.
  route('site.test', '/docs/guide', 200, {}, page('Guide', '<h1>Guide</h1><div id="content"></div>'));
  route('site.test', '/blog/designing-a-404-page', 200, {}, page('Designing a 404 page', '<h1>Designing a 404 page</h1><div id="content"></div>'));
  route('site.test', '/index.html', 301, { location: '/' });
  route('site.test', '/login', 200, {}, page('Log in'));
  route('moved.test', '/page', 301, { location: `http://site.test:${fake.port}/` });
  route('404media.test', '/', 200, {}, page('404 Media', '<h1>404 Media</h1><div id="content"></div>'));
});
afterAll(() => fake.close());

async function findings(markdown: string, config: Partial<Config> = {}): Promise<string[]> {
  const tree = await tempTree({ 'README.md': markdown });
  try {
    const full = { ...defaultConfig, allowPrivate: true, retries: 0, recheckDelay: 10, ...config };
    const report = await check({ cwd: tree.dir, config: full, io: { net: { lookup: fakeLookup } } });
    return report.findings.map((f) => `${f.range.start.line} ${f.ruleId} ${f.severity} ${f.message}${f.hint === undefined ? '' : `; ${f.hint}`}`);
  } finally {
    await tree.cleanup();
  }
}

describe('soft-404', () => {
  it('flags a deep link redirected to its own site’s home page, www. or not', async () => {
    const url = (host: string, path: string) => fake.url(host, path);
    const result = await findings(`[old](${url('site.test', '/docs/old-guide')})\n\n[post](${url('site.test', '/blog/post')})\n`);
    expect(result).toEqual([
      `1 soft-404 warning Unexpected redirect of a deep link to the site's home page \`${url('site.test', '/')}\`: the page is probably gone; find where the page went, or link to an archived copy`,
      // The permanent redirect is reported too, by its own rule.
      `3 redirect warning Unexpected permanent redirect (HTTP 301); use \`${url('www.site.test', '/')}\``,
      `3 soft-404 warning Unexpected redirect of a deep link to the site's home page \`${url('www.site.test', '/')}\`: the page is probably gone; find where the page went, or link to an archived copy`,
    ]);
    // HEAD on each hop only: a redirect needs no body.
    expect(fake.methods('site.test', '/docs/old-guide')).toEqual(['HEAD']);
  });

  it('flags a redirect to a login page', async () => {
    const result = await findings(`[report](${fake.url('site.test', '/private/report')})\n`);
    expect(result).toEqual([
      `1 soft-404 warning Unexpected redirect to a login page \`${fake.url('site.test', '/users/sign_in?return_to=%2Fprivate%2Freport')}\`: the page may be gone or private`,
    ]);
  });

  it('flags a 200 whose title or first heading says "not found", from the first bytes of a GET', async () => {
    const result = await findings(`[a](${fake.url('site.test', '/missing')}#content)\n\n[b](${fake.url('site.test', '/vanished')}#content)\n`);
    expect(result).toEqual([
      '1 soft-404 warning Cannot find the page: it answers HTTP 200, but its title says `Page not found · Acme`',
      '3 soft-404 warning Cannot find the page: it answers HTTP 200, but its heading says `404`',
    ]);
    expect(fake.methods('site.test', '/missing')).toEqual(['GET']);
  });

  it('leaves alone live pages, index pages, home-page links, other sites and a 404 that is only a word', async () => {
    const links = [
      fake.url('site.test', '/docs/guide#content'),
      fake.url('site.test', '/blog/designing-a-404-page#content'),
      fake.url('site.test', '/index.html'),
      fake.url('site.test', '/login'),
      fake.url('moved.test', '/page'),
      fake.url('404media.test', '/#content'),
    ];
    const result = await findings(links.map((link, i) => `[${i}](${link})`).join('\n\n'));
    // Only the rules that are not this one speak: the permanent redirects.
    expect(result.filter((line) => !line.includes(' redirect warning Unexpected permanent redirect'))).toEqual([]);
    expect(result).toHaveLength(2);
  });

  it('is a warning that config can turn off or raise', async () => {
    const markdown = `[old](${fake.url('site.test', '/docs/old-guide')})\n`;
    expect(await findings(markdown, { rules: { 'soft-404': 'off' } })).toEqual([]);
    expect((await findings(markdown, { rules: { 'soft-404': 'error' } }))[0]).toMatch(/^1 soft-404 error Unexpected redirect of a deep link/);
  });
});
