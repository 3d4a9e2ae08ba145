import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';
import { answer, startFakeHosts, type FakeHosts } from './helpers/fake-hosts.js';

let fake: FakeHosts;
let tree: Awaited<ReturnType<typeof tempTree>>;
beforeAll(async () => {
  fake = await startFakeHosts();
  fake.route('127.0.0.1', '/walled', (_request, response) => answer(response, 999));
  fake.route('127.0.0.1', '/gone', (_request, response) => answer(response, 404));
  const walled = fake.url('127.0.0.1', '/walled');
  tree = await tempTree({
    'blocked/README.md': `[profile](${walled})\n`,
    'blocked-config/README.md': `[profile](${walled})\n`,
    'blocked-config/waymark.config.json': JSON.stringify({ failOn: 'unverifiable' }),
    'warning/README.md': '[page](https://example.test/?utm_source=x)\n',
    'error/README.md': '[missing](nope.md)\n',
    'mixed/README.md': `[profile](${walled}) [gone](${fake.url('127.0.0.1', '/gone')})\n`,
    'bad-config/README.md': '# Nothing\n',
    'bad-config/waymark.config.json': JSON.stringify({ failOn: 'never' }),
  });
});
afterAll(async () => {
  await tree.cleanup();
  await fake.close();
});

const net = ['--allow-private', '--retries', '0', '--recheck-delay', '10', '--no-parse-cache'];
const at = (dir: string): string => path.join(tree.dir, dir);

describe('--fail-on decides the exit code', () => {
  it('a blocked link fails only with --fail-on unverifiable or warning', async () => {
    const byLevel = await Promise.all(
      [[], ['--fail-on', 'error'], ['--fail-on', 'unverifiable'], ['--fail-on', 'warning']].map((extra) =>
        runCli(at('blocked'), [...net, '--no-config', ...extra]),
      ),
    );
    expect(byLevel.map((result) => result.code)).toEqual([0, 0, 1, 1]);
    expect(byLevel[0]?.stdout).toContain('✖ 1 warning in 1 file (1 link, 1 unique URL); URLs: 0 dead, 1 blocked, 0 unverified');
    expect(byLevel[0]?.stdout).toContain('Cannot verify');
    expect(byLevel[0]?.stdout).toContain('blocked by a 999 refusal (HTTP 999)');
  });

  it('an ordinary warning fails only with --fail-on warning', async () => {
    const codes = await Promise.all(
      ['error', 'unverifiable', 'warning'].map(async (level) => (await runCli(at('warning'), ['--offline', '--no-config', '--fail-on', level])).code),
    );
    expect(codes).toEqual([0, 0, 1]);
  });

  it('an error fails at every level', async () => {
    const codes = await Promise.all(
      ['error', 'unverifiable', 'warning'].map(async (level) => (await runCli(at('error'), ['--offline', '--no-config', '--fail-on', level])).code),
    );
    expect(codes).toEqual([1, 1, 1]);
  });

  it('takes failOn from the config file, and the flag wins over it', async () => {
    expect((await runCli(at('blocked-config'), net)).code).toBe(1);
    expect((await runCli(at('blocked-config'), [...net, '--fail-on', 'error'])).code).toBe(0);
  });

  it('counts dead and blocked apart in the text summary and the JSON summary', async () => {
    const text = await runCli(at('mixed'), [...net, '--no-config']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✖ 1 error, 1 warning in 1 file (2 links, 2 unique URLs); URLs: 1 dead, 1 blocked, 0 unverified');
    const json = await runCli(at('mixed'), [...net, '--no-config', '--format', 'json']);
    const summary = (JSON.parse(json.stdout) as { summary: Record<string, number> }).summary;
    expect(summary).toMatchObject({ errors: 1, warnings: 1, dead: 1, blocked: 1, unverified: 0 });
  });

  it('rejects unknown levels and bad delays in one line naming the flag or key', async () => {
    expect(await runCli(at('warning'), ['--offline', '--no-config', '--fail-on', 'never'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'waymark: --fail-on: expected one of error, unverifiable, warning, got `never`\n',
    });
    expect(await runCli(at('bad-config'), ['--offline'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'waymark: waymark.config.json: failOn: expected "error" | "unverifiable" | "warning", got "never"\n',
    });
    expect(await runCli(at('warning'), ['--offline', '--no-config', '--recheck-delay', 'soon'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'waymark: --recheck-delay: expected a non-negative integer, got `soon`\n',
    });
  });
});
