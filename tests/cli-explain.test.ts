import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';

const config = {
  ignoreUrls: ['^https://internal\\.example\\.test/'],
  allowTracking: ['^https://sponsor\\.example\\.test/'],
  hosts: { 'docs.example.test': { concurrency: 1 } },
  providers: { github: { url: 'https://ghe.example.test/api/graphql' } },
};

async function explain(url: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const tree = await tempTree({ 'waymark.config.json': JSON.stringify(config), ...files });
  try {
    return await runCli(tree.dir, ['explain', url], env);
  } finally {
    await tree.cleanup();
  }
}

describe('waymark explain', () => {
  it('names the provider and the API request for a GitHub repository when GITHUB_TOKEN is set', async () => {
    const result = await explain('https://github.com/acme/tool', { GITHUB_TOKEN: 'secret-token' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'url: https://github.com/acme/tool',
        'ignoreUrls: no pattern matches',
        'allowTracking: no pattern matches',
        'provider: github (GitHub GraphQL API)',
        'request: POST https://ghe.example.test/api/graphql, directly',
        'asks: repository(owner: "acme", name: "tool") { nameWithOwner isArchived url }, batched up to 100 per query',
        "host limit: ghe.example.test: 1 in flight (a provider's API)",
        'cached: none',
        '',
      ].join('\n'),
    );
    expect(result.stdout).not.toContain('secret-token');
  });

  it('says the page is fetched without a token, through the proxy the environment names', async () => {
    const result = await explain('https://github.com/acme/tool/blob/main/README.md#usage', { HTTPS_PROXY: 'http://proxy.test:3128' });
    expect(result.stdout.split('\n').slice(3, 6)).toEqual([
      'provider: github (GitHub GraphQL API) needs GITHUB_TOKEN; without it the page is fetched',
      'request: GET https://github.com/acme/tool/blob/main/README.md, through the proxy http://proxy.test:3128/',
      'host limit: github.com: starts at 2 in flight, at most 3 (host profile: GitHub pages)',
    ]);
  });

  it('stops at an ignoreUrls match: nothing would be requested', async () => {
    const result = await explain('https://internal.example.test/page');
    expect(result.stdout).toBe(
      [
        'url: https://internal.example.test/page',
        'ignoreUrls: matches `^https://internal\\.example\\.test/`',
        'allowTracking: no pattern matches',
        'skipped: an ignoreUrls pattern matches, so nothing is requested',
        '',
      ].join('\n'),
    );
  });

  it('shows allowTracking, a configured host limit and the cached verdict', async () => {
    const url = 'https://docs.example.test/guide';
    const cache = { version: 1, entries: { [url]: { checkedAt: Date.now(), status: { kind: 'http-error', status: 404, redirects: [] }, fragments: {} } } };
    const sponsor = await explain('https://sponsor.example.test/?utm_source=list');
    expect(sponsor.stdout).toContain('allowTracking: matches `^https://sponsor\\.example\\.test/` (tracking parameters kept)\n');
    const result = await explain(url, {}, { '.waymark/cache.json': JSON.stringify(cache) });
    expect(result.stdout.split('\n').slice(3)).toEqual([
      'provider: none',
      'request: HEAD (GET if HEAD fails) https://docs.example.test/guide, directly',
      'host limit: docs.example.test: 1 in flight (hosts["docs.example.test"] in the config)',
      'cached: HTTP 404 (used with --cache)',
      '',
    ]);
  });

  it('names the npm registry, oEmbed and Stack Exchange requests', async () => {
    const npm = await explain('https://www.npmjs.com/package/@types/node');
    expect(npm.stdout).toContain('request: HEAD https://registry.npmjs.org/%40types%2fnode, directly\n');
    const video = await explain('https://youtu.be/dQw4w9WgXcQ');
    expect(video.stdout).toContain(
      `request: GET https://www.youtube.com/oembed?url=${encodeURIComponent('https://www.youtube.com/watch?v=dQw4w9WgXcQ')}&format=json, directly\n`,
    );
    const question = await explain('https://superuser.com/q/12345');
    expect(question.stdout).toContain('request: GET https://api.stackexchange.com/2.3/questions/12345?site=superuser.com&pagesize=100, directly\n');
  });

  it('refuses anything but one URL with exit code 2', async () => {
    const result = await explain('');
    const none = await runCli('/', ['explain']);
    expect(none).toEqual({
      code: 2,
      stdout: '',
      stderr: 'waymark: explain: expected one URL, e.g. waymark explain https://example.com/page\n',
    });
    expect(result.stdout).toContain('skipped: not a valid URL\n');
  });
});
