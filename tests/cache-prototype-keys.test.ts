import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let tree: Awaited<ReturnType<typeof tempTree>>;
const fast = ['--allow-private', '--retries', '0', '--headers-timeout', '500', '--timeout', '1500', '--cache'];

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  tree = await tempTree({});
});
afterEach(() => tree.cleanup());

const hits = (needle: string) => server.log.filter((record) => record.path.includes(needle)).length;

describe('cache: fragments named like Object.prototype members', () => {
  it('a cached page does not make `#toString`, `#constructor` or `#__proto__` pass', async () => {
    const page = server.url('/ids?ids=intro&proto-miss');
    await writeFile(path.join(tree.dir, 'README.md'), `[intro](${page}#intro)\n`);
    const first = await runCli(tree.dir, [...fast, 'README.md']);
    expect(first.code).toBe(0);
    await writeFile(
      path.join(tree.dir, 'README.md'),
      `[a](${page}#intro) [b](${page}#toString) [c](${page}#constructor) [d](${page}#__proto__)\n`,
    );
    const second = await runCli(tree.dir, [...fast, 'README.md']);
    expect(second.code).toBe(1);
    for (const fragment of ['toString', 'constructor', '__proto__']) expect(second.stdout).toContain(`#${fragment}`);
    expect(second.stdout).not.toContain('#intro');
  });

  it('fragments that really are called `constructor` and `__proto__` are cached and answered from the cache', async () => {
    const page = server.url('/ids?ids=constructor,__proto__,toString&proto-found');
    await writeFile(path.join(tree.dir, 'README.md'), `[a](${page}#constructor) [b](${page}#__proto__) [c](${page}#toString)\n`);
    const first = await runCli(tree.dir, [...fast, 'README.md']);
    expect(first.stdout).not.toContain('#');
    expect(first.code).toBe(0);
    const stored = await readFile(path.join(tree.dir, '.waymark', 'cache.json'), 'utf8');
    expect(stored).toContain('"__proto__":{"kind":"found"}');
    const requests = hits('proto-found');
    const second = await runCli(tree.dir, [...fast, 'README.md']);
    expect(second.code).toBe(0);
    expect(hits('proto-found')).toBe(requests);
  });
});
