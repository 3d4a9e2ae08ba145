import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/types.js';
import { tempTree } from './helpers/cli.js';
import { loopbackLookup, startFakeApis, startPageServer, type FakeApis, type PageServer } from './helpers/fake-apis.js';

let apis: FakeApis;
let pages: PageServer;
let config: Config;

beforeAll(async () => {
  apis = await startFakeApis();
  pages = await startPageServer(429);
  apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool' });
  apis.repositories.set('acme/old', { nameWithOwner: 'acme/old', isArchived: true });
  apis.repositories.set('acme/moved', { nameWithOwner: 'newco/moved' });
  apis.packages.add('left-pad');
  apis.videos.set('privateVid1', 403);
  apis.videos.set('goneVideo01', 400);
  apis.questions.set('stackoverflow.com', new Set([1]));
  config = {
    ...defaultConfig,
    allowPrivate: true,
    parseCache: false,
    retries: 0,
    timeout: 2_000,
    providers: {
      github: { url: `${apis.origin}/graphql` },
      npm: { url: `${apis.origin}/npm` },
      youtube: { url: `${apis.origin}/oembed` },
      stackexchange: { url: `${apis.origin}/se` },
    },
  };
});

afterAll(async () => {
  await apis.close();
  await pages.close();
});

const at = (host: string, path: string): string => `http://${host}:${pages.port}${path}`;

function lines(report: Awaited<ReturnType<typeof check>>): string[] {
  return report.findings.map((f) => `${f.range.start.line} ${f.severity} ${f.ruleId} ${f.message}${f.hint === undefined ? '' : `; ${f.hint}`}`);
}

const markdown = (): string =>
  [
    `[a](${at('github.com', '/acme/tool')})`,
    `[b](${at('github.com', '/acme/gone')})`,
    `[c](${at('github.com', '/acme/moved')})`,
    `[d](${at('github.com', '/acme/old')})`,
    `[e](${at('www.npmjs.com', '/package/left-pad')})`,
    `[f](${at('www.npmjs.com', '/package/no-such-pkg')})`,
    `[g](${at('youtu.be', '/privateVid1')})`,
    `[h](${at('youtu.be', '/goneVideo01')})`,
    `[i](${at('stackoverflow.com', '/questions/1/title')})`,
    `[j](${at('stackoverflow.com', '/questions/2/title')})`,
  ].join('\n\n');

describe('what the rules make of the providers’ verdicts', () => {
  it('reports what each API said, in its words, and nothing for what it says is alive', async () => {
    const tree = await tempTree({ 'README.md': `${markdown()}\n` });
    try {
      const report = await check({ cwd: tree.dir, config, io: { net: { lookup: loopbackLookup, githubToken: apis.token } } });
      expect(lines(report)).toEqual([
        `3 error dead-link Cannot reach \`${at('github.com', '/acme/gone')}\` (the GitHub API has no such repository)`,
        `5 warning redirect Unexpected permanent redirect (HTTP 301); use \`https://github.com/newco/moved\``,
        `11 error dead-link Cannot reach \`${at('www.npmjs.com', '/package/no-such-pkg')}\` (the npm registry has no such package (HTTP 404))`,
        `13 warning unverifiable Cannot verify \`${at('youtu.be', '/privateVid1')}\`: the YouTube oEmbed API says the video is private or cannot be embedded (HTTP 403)`,
        `15 error dead-link Cannot reach \`${at('youtu.be', '/goneVideo01')}\` (the YouTube oEmbed API has no such video (HTTP 400))`,
        `19 error dead-link Cannot reach \`${at('stackoverflow.com', '/questions/2/title')}\` (the Stack Exchange API has no such question)`,
      ]);
      // The pages themselves (all answering 429) were never asked.
      expect(pages.requests).toEqual([]);
      expect(report.notices).toEqual([]);
    } finally {
      await tree.cleanup();
    }
  });

  it('reports archived repositories only when github-archived is turned on', async () => {
    const tree = await tempTree({ 'README.md': `[d](${at('github.com', '/acme/old')})\n\n[blob](${at('github.com', '/acme/old/blob/main/x.md')})\n` });
    pages.paths.set('/acme/old/blob/main/x.md', 200);
    try {
      const net = { lookup: loopbackLookup, githubToken: apis.token };
      const off = await check({ cwd: tree.dir, config, io: { net } });
      expect(lines(off)).toEqual([]);
      const on = await check({ cwd: tree.dir, config: { ...config, rules: { 'github-archived': 'warn' } }, io: { net } });
      const message = 'Unexpected link into the archived repository `acme/old`: it is read-only and no longer maintained; link a maintained fork or successor if there is one';
      expect(lines(on)).toEqual([`1 warning github-archived ${message}`, `3 warning github-archived ${message}`]);
    } finally {
      pages.paths.clear();
      await tree.cleanup();
    }
  });

  it('without a token, says once, at the first GitHub link, what a token would verify', async () => {
    pages.requests.length = 0;
    const tree = await tempTree({ 'README.md': `Intro\n\n[a](${at('github.com', '/acme/tool')}) and [b](${at('github.com', '/acme/old/issues')})\n` });
    try {
      const report = await check({ cwd: tree.dir, config, io: { net: { lookup: loopbackLookup } } });
      expect(report.notices).toEqual([
        {
          kind: 'github-token',
          file: 'README.md',
          line: 3,
          column: 1,
          message:
            "2 GitHub URLs were checked on github.com's pages; with GITHUB_TOKEN set, the GitHub API would verify them without touching github.com's page limits (a token does not lift the limits on github.com pages)",
        },
      ]);
      expect(pages.requests.toSorted()).toEqual(['HEAD /acme/old/issues', 'HEAD /acme/tool']);
    } finally {
      await tree.cleanup();
    }
  });

  it('caches a provider verdict under the linked URL, archived fact included', async () => {
    const tree = await tempTree({ 'README.md': `[d](${at('github.com', '/acme/old')})\n` });
    try {
      const cached = { ...config, cache: true, rules: { 'github-archived': 'warn' as const } };
      const net = { lookup: loopbackLookup, githubToken: apis.token };
      await check({ cwd: tree.dir, config: cached, io: { net } });
      const asked = apis.count('/graphql');
      const again = await check({ cwd: tree.dir, config: cached, io: { net } });
      expect(apis.count('/graphql')).toBe(asked);
      expect(again.urls?.[0]).toMatchObject({ url: at('github.com', '/acme/old'), requests: 0 });
      expect(lines(again).map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual(['1 warning github-archived']);
    } finally {
      await tree.cleanup();
    }
  });
});
