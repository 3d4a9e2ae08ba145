import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { digest, fixFiles } from '../src/fix/index.js';
import { safeWrite, WriteError } from '../src/io/write.js';
import type { Lookup } from '../src/net/index.js';
import { runCli, tempTree } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let tree: Awaited<ReturnType<typeof tempTree>>;
beforeAll(async () => {
  server = await startServer({ dual: true });
});
afterAll(() => server.close());
beforeEach(async () => {
  tree = await tempTree({});
});
afterEach(() => tree.cleanup());

const net = ['--no-config', '--allow-private', '--retries', '0'];

describe('--fix=redirect', () => {
  it('is left out of plain --fix, and rewrites a permanent same-site redirect when named', async () => {
    const to = server.url('/ids?ids=part');
    const from = server.url(`/redirect/301?to=${encodeURIComponent(to)}`);
    const text = `[moved](${from}#part)\n`;
    await writeFile(path.join(tree.dir, 'doc.md'), text);
    const plain = await runCli(tree.dir, [...net, '--fix', 'doc.md']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('redirect');
    expect(await readFile(path.join(tree.dir, 'doc.md'), 'utf8')).toBe(text);

    const named = await runCli(tree.dir, [...net, '--fix=redirect', 'doc.md']);
    expect(named.code).toBe(0);
    expect(await readFile(path.join(tree.dir, 'doc.md'), 'utf8')).toBe(`[moved](${to}#part)\n`);
    expect(named.stderr).toContain(`waymark: doc.md:1:1: fixed redirect: \`${from}#part\` → \`${to}#part\`\n`);
    expect(named.stdout).toBe('✔ No problems in 1 file (1 link, 1 unique URL)\n');
  });

  it('does not rewrite a redirect to another host, or a chain with a temporary hop', async () => {
    const otherHost = `http://localhost:${server.port}/ok`;
    const away = server.url(`/redirect/308?to=${encodeURIComponent(otherHost)}`);
    const temporary = server.url(`/redirect/302?to=${encodeURIComponent(server.url('/ok'))}`);
    const mixed = server.url(`/redirect/301?to=${encodeURIComponent(temporary)}`);
    const text = `[away](${away}) [mixed](${mixed})\n`;
    await writeFile(path.join(tree.dir, 'doc.md'), text);
    const result = await runCli(tree.dir, [...net, '--fix=redirect', '-f', 'json', 'doc.md']);
    expect(result.code).toBe(0);
    const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; url: string }[] }).findings;
    expect(findings.map((f) => `${f.ruleId} ${f.url}`)).toEqual([`redirect ${away}`, `redirect ${mixed}`]);
    expect(result.stderr).toContain('waymark: nothing to fix\n');
    expect(await readFile(path.join(tree.dir, 'doc.md'), 'utf8')).toBe(text);
  });
});

describe('insecure-link fix', () => {
  /** `.test` names reach the local server, which serves http:// and https:// (self-signed) on one port. */
  const lookup: Lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]);

  async function checkAndFix(text: string) {
    await writeFile(path.join(tree.dir, 'doc.md'), text);
    const checked = new Map<string, string>();
    const report = await check({
      cwd: tree.dir,
      paths: ['doc.md'],
      config: { ...defaultConfig, allowPrivate: true, insecure: true, retries: 0, parseCache: false },
      io: { net: { lookup, isPrivate: () => false } },
      onRead: (file, bytes) => checked.set(path.resolve(file), digest(bytes)),
    });
    const outcomes = await fixFiles({ cwd: tree.dir, findings: report.findings, rules: new Set(['insecure-link']), checked, dryRun: false });
    return { report, outcomes, after: await readFile(path.join(tree.dir, 'doc.md'), 'utf8') };
  }

  it('switches to https:// when the check proved the twin works over TLS', async () => {
    const text = `[plain](http://secure.test:${server.port}/ok#top "Title")\n`;
    const { report, outcomes, after } = await checkAndFix(text);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['insecure-link']);
    expect(after).toBe(`[plain](https://secure.test:${server.port}/ok#top "Title")\n`);
    expect(outcomes.map((o) => o.kind)).toEqual(['fixed']);
    // The twin really went over TLS: the dual server saw the path twice, once per scheme.
    expect(server.count('/ok')).toBeGreaterThanOrEqual(2);
  });

  it('offers no fix when the https:// twin only works by redirecting back to http://', async () => {
    const back = `http://secure.test:${server.port}/ok`;
    const text = `[loop](http://secure.test:${server.port}/redirect/302?to=${encodeURIComponent(back)})\n`;
    const { report, outcomes, after } = await checkAndFix(text);
    expect(report.findings.filter((f) => f.ruleId === 'insecure-link').map((f) => f.fix)).toEqual([undefined]);
    expect(outcomes).toEqual([]);
    expect(after).toBe(text);
  });
});

describe('the last look before the rename', () => {
  it('leaves the target as it was and removes the temporary file when verify throws', async () => {
    const file = path.join(tree.dir, 'doc.md');
    await writeFile(file, 'edited by someone else\n');
    const refuse = (): Promise<void> => Promise.reject(new WriteError(file, 'changed on disk'));
    await expect(safeWrite(file, new TextEncoder().encode('fixed\n'), { verify: refuse })).rejects.toThrow('changed on disk');
    expect(await readFile(file, 'utf8')).toBe('edited by someone else\n');
    expect((await readdir(tree.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
