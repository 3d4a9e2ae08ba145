import { describe, expect, it } from 'vitest';
import { useProviderFakes } from './helpers/provider-fakes.js';
import { checkLinks } from './helpers/engine.js';

const fake = useProviderFakes({
  provider: 'npm',
  apiPath: '/npm',
  // npmjs.com's pages refuse the checker with 403.
  pageStatus: 403,
  reset: (apis) => apis.packages.clear(),
});
const { options } = fake;

const page = (path: string): string => `http://www.npmjs.com:${fake.pages.port}${path}`;

describe('npm packages at the registry', () => {
  it('calls a package the registry has alive while npmjs.com answers 403, and one it lacks dead', async () => {
    fake.apis.packages.add('left-pad');
    fake.apis.packages.add('@types/node');
    const run = await checkLinks(
      [{ url: page('/package/left-pad') }, { url: page('/package/@types/node') }, { url: page('/package/no-such-pkg/') }],
      options(),
    );
    expect(fake.pages.requests).toEqual([]);
    expect(run.results.get(page('/package/left-pad'))?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(run.results.get(page('/package/@types/node'))?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(run.results.get(page('/package/no-such-pkg/'))?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
    expect(run.results.get(page('/package/no-such-pkg/'))?.provider).toEqual({ name: 'npm', isVerdict: true, apiStatus: 404 });
    // One HEAD per package, scoped names with `%2f`, asking for abbreviated metadata.
    expect(fake.apis.requests.map((request) => `${request.method} ${request.path}`).toSorted()).toEqual([
      'HEAD /npm/%40types%2fnode',
      'HEAD /npm/left-pad',
      'HEAD /npm/no-such-pkg',
    ]);
    expect(fake.apis.requests.every((request) => request.accept?.startsWith('application/vnd.npm.install-v1+json') === true)).toBe(true);
  });

  it('asks once for a package linked from npmjs.com and www.npmjs.com', async () => {
    fake.apis.packages.add('left-pad');
    const run = await checkLinks([{ url: page('/package/left-pad') }, { url: `http://npmjs.com:${fake.pages.port}/package/left-pad` }], options());
    expect(fake.apis.count('/npm/')).toBe(1);
    expect([...run.results.values()].map((result) => result.status.kind)).toEqual(['ok', 'ok']);
  });

  it('leaves version pages and other npmjs.com pages to normal fetching', async () => {
    const run = await checkLinks([{ url: page('/package/left-pad/v/1.3.0') }, { url: page('/~someone') }], options());
    expect(fake.apis.requests).toEqual([]);
    expect(fake.pages.requests.toSorted()).toEqual(['GET /package/left-pad/v/1.3.0', 'GET /~someone', 'HEAD /package/left-pad/v/1.3.0', 'HEAD /~someone']);
    // npmjs.com's 403 to automated clients is a known bot wall: blocked, never dead.
    expect(run.results.get(page('/~someone'))?.status).toMatchObject({ kind: 'unverifiable', reason: 'blocked', status: 403 });
  });
});
