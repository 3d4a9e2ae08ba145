import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { runCli, tempTree } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let tree: Awaited<ReturnType<typeof tempTree>>;
let outside: Awaited<ReturnType<typeof tempTree>>;
const fast = ['--no-parse-cache', '--allow-private', '--retries', '0', '--headers-timeout', '500', '--timeout', '1500'];

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  tree = await tempTree({ 'README.md': `# Doc\n\n[page](${server.url('/ok?cache-errors')}) and [gone](#nowhere)\n` });
  outside = await tempTree({});
});
afterEach(async () => {
  await tree.cleanup();
  await outside.cleanup();
});

async function strayTemps(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) if (String(entry).endsWith('.tmp')) found.push(String(entry));
  return found;
}

describe('cache: a cache that cannot be written is a warning', () => {
  it('`.waymark` is a file: the report is still printed and written, one warning names the relative path', async () => {
    await writeFile(path.join(tree.dir, '.waymark'), 'not a directory');
    const result = await runCli(tree.dir, [...fast, '--cache', '-o', 'json:out.json', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('README.md:3:');
    expect(result.stderr).toMatch(/^waymark: \.waymark\/cache\.json: warning: Cannot write the result cache \(E[A-Z]+\); the report is not affected\n$/);
    const written = JSON.parse(await readFile(path.join(tree.dir, 'out.json'), 'utf8')) as { summary: { errors: number } };
    expect(written.summary.errors).toBe(1);
    expect(await strayTemps(tree.dir)).toEqual([]);
  });

  it('`cache.json` is a directory: same, and the directory is left alone', async () => {
    await mkdir(path.join(tree.dir, '.waymark', 'cache.json'), { recursive: true });
    const result = await runCli(tree.dir, [...fast, '--cache', '-o', 'json:out.json', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('waymark: .waymark/cache.json: warning: Cannot write the result cache (EISDIR); the report is not affected\n');
    expect(result.stdout).toContain('README.md:3:');
    expect((await lstat(path.join(tree.dir, '.waymark', 'cache.json'))).isDirectory()).toBe(true);
    expect(JSON.parse(await readFile(path.join(tree.dir, 'out.json'), 'utf8'))).toHaveProperty('summary');
    expect(await strayTemps(tree.dir)).toEqual([]);
  });

  it('--quiet drops the warning like any notice, and the findings still print', async () => {
    await writeFile(path.join(tree.dir, '.waymark'), 'not a directory');
    const result = await runCli(tree.dir, [...fast, '--cache', '--quiet', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('README.md:3:');
  });

  it('check() returns the report instead of throwing', async () => {
    await writeFile(path.join(tree.dir, '.waymark'), 'not a directory');
    const warnings: string[] = [];
    const report = await check({
      cwd: tree.dir,
      paths: ['README.md'],
      config: { ...defaultConfig, cache: true, allowPrivate: true, retries: 0 },
      io: { net: { onCacheWarning: (message) => warnings.push(message) } },
    });
    expect(report.summary.errors).toBe(1);
    // Both caches live in `.waymark/`: each says, once, that it cannot be written.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^Cannot write the parse cache/);
    expect(warnings[1]).toMatch(/^Cannot write the result cache/);
  });
});

describe('cache: a symlinked `.waymark` out of the repository', () => {
  it('is neither written nor followed; the report is still produced', async () => {
    await symlink(outside.dir, path.join(tree.dir, '.waymark'));
    const result = await runCli(tree.dir, [...fast, '--cache', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('README.md:3:');
    expect(result.stderr).toBe(
      'waymark: .waymark/cache.json: warning: `.waymark` is a symlink that leads out of the repository; the result cache is not used\n',
    );
    expect(await readdir(outside.dir)).toEqual([]);
  });

  it('a cache file behind such a symlink is not read either', async () => {
    const gone = server.url('/status/404?cache-errors-read');
    await writeFile(path.join(tree.dir, 'README.md'), `[gone](${gone})\n`);
    // Learn the cache format from a real run, then plant an entry that calls the 404 page fine.
    await mkdir(path.join(tree.dir, 'seed'));
    await writeFile(path.join(tree.dir, 'seed', 'README.md'), `[ok](${server.url('/ok?cache-errors-seed')})\n`);
    expect((await runCli(path.join(tree.dir, 'seed'), [...fast, '--cache', 'README.md'])).code).toBe(0);
    const seeded = await readFile(path.join(tree.dir, 'seed', '.waymark', 'cache.json'), 'utf8');
    const planted = seeded.replaceAll(server.url('/ok?cache-errors-seed'), gone);
    expect(planted).toContain('404?cache-errors-read');
    await writeFile(path.join(outside.dir, 'cache.json'), planted);
    await symlink(outside.dir, path.join(tree.dir, '.waymark'));
    const result = await runCli(tree.dir, [...fast, '--cache', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('404');
    expect(await readFile(path.join(outside.dir, 'cache.json'), 'utf8')).toBe(planted);
  });

  it('a symlinked `cache.json` out of the repository is refused too', async () => {
    await mkdir(path.join(tree.dir, '.waymark'));
    await symlink(path.join(outside.dir, 'stolen.json'), path.join(tree.dir, '.waymark', 'cache.json'));
    const result = await runCli(tree.dir, [...fast, '--cache', 'README.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('`cache.json` is a symlink that leads out of the repository');
    expect(await readdir(outside.dir)).toEqual([]);
  });

  it('a symlinked `.waymark` inside the repository is followed', async () => {
    await mkdir(path.join(tree.dir, 'state'));
    await symlink('state', path.join(tree.dir, '.waymark'));
    const result = await runCli(tree.dir, [...fast, '--cache', 'README.md']);
    expect(result.stderr).toBe('');
    expect(await readFile(path.join(tree.dir, 'state', 'cache.json'), 'utf8')).toContain('/ok?cache-errors');
    expect((await lstat(path.join(tree.dir, '.waymark'))).isSymbolicLink()).toBe(true);
  });
});
