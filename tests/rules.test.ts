import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { mergeConfig } from '../src/config/load.js';
import { validateConfig } from '../src/config/validate.js';
import type { Config } from '../src/config/types.js';
import type { Lookup } from '../src/net/index.js';
import { rules } from '../src/rules/index.js';
import { startServer, type TestServer } from './helpers/server.js';

const fixtures = fileURLToPath(new URL('./fixtures/rules/', import.meta.url));

/**
 * `<!-- expect: rule-id[, rule-id] -->` on a line marks the findings expected on that line;
 * `<!-- expect-next: … -->` marks the next line (for definitions, which allow nothing after them).
 */
function expectations(text: string): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/<!-- expect(-next)?: ([\w, -]+?) -->/g)) {
      const at = index + (match[1] === undefined ? 1 : 2);
      for (const id of (match[2] ?? '').split(',')) expected.push(`${at} ${id.trim()}`);
    }
  });
  return expected.sort();
}

/** `<!-- waymark-config {…} -->` gives a fixture its own settings; fixtures run offline unless they use the server. */
function fixtureConfig(text: string, file: string, isNetworked: boolean): Config {
  const base: Config = isNetworked ? { ...defaultConfig, ...networked } : { ...defaultConfig, offline: true };
  const match = /<!-- waymark-config (\{.*?\}) -->/s.exec(text);
  if (match?.[1] === undefined) return base;
  return mergeConfig(base, validateConfig(JSON.parse(match[1]), file));
}

/** Short timeouts and the address guard off, so fixtures can use the local server. */
const networked: Partial<Config> = { allowPrivate: true, connectTimeout: 1_000, headersTimeout: 500, timeout: 1_500, retries: 1, recheckDelay: 10 };

/** Host names ending in `.test` resolve to the local server's address; nothing else resolves. */
const lookup: Lookup = (hostname) =>
  hostname.endsWith('.test')
    ? Promise.resolve([{ address: '127.0.0.1', family: 4 as const }])
    : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));

let server: TestServer;
const scratch: string[] = [];
beforeAll(async () => {
  server = await startServer({ dual: true });
});
afterAll(async () => {
  await server.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs one fixture. `{{origin}}` in it becomes the local server's `http://127.0.0.1:<port>` and
 * `{{port}}` its port (for `.test` host names); such a fixture runs from a copy of its directory.
 */
async function run(dir: string, file: string) {
  const written = readFileSync(path.join(dir, file), 'utf8');
  const isNetworked = written.includes('{{');
  let cwd = dir;
  let text = written;
  if (isNetworked) {
    cwd = mkdtempSync(path.join(tmpdir(), 'waymark-fixture-'));
    scratch.push(cwd);
    cpSync(dir, cwd, { recursive: true });
    text = written.replaceAll('{{origin}}', server.origin).replaceAll('{{port}}', String(server.port));
    writeFileSync(path.join(cwd, file), text);
  }
  const config = fixtureConfig(text, file, isNetworked);
  // The local server stands in for public hosts, so its loopback address must count as proof of a network.
  const report = await check({ cwd, paths: [file], config, io: { net: { lookup, isPrivate: () => false } } });
  return { text, report };
}

const ruleDirs = readdirSync(fixtures).sort();

describe('rule fixtures', () => {
  it('has an ok.md and a not-ok.md for every registered rule with fixtures', () => {
    for (const dir of ruleDirs) {
      expect(rules.map((rule) => rule.id)).toContain(dir);
      expect(existsSync(path.join(fixtures, dir, 'ok.md'))).toBe(true);
      expect(existsSync(path.join(fixtures, dir, 'not-ok.md'))).toBe(true);
    }
  });

  for (const id of ruleDirs) {
    const dir = path.join(fixtures, id);
    it(`${id}: ok.md yields no finding`, async () => {
      const { report } = await run(dir, 'ok.md');
      expect(report.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`)).toEqual([]);
      expect(report.summary.errors).toBe(0);
    });

    it(`${id}: not-ok.md yields exactly the marked findings`, async () => {
      const { text, report } = await run(dir, 'not-ok.md');
      const expected = expectations(text);
      expect(expected.filter((entry) => entry.endsWith(` ${id}`)).length).toBeGreaterThan(0);
      const actual = report.findings.map((f) => `${f.range.start.line} ${f.ruleId}`).sort();
      expect(actual).toEqual(expected);
      const lines = report.findings.map((f) => {
        const hint = f.hint === undefined ? '' : `; ${f.hint}`;
        const line = `${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.message}${hint} ${f.ruleId}`;
        return line.replaceAll(server.origin, '{{origin}}').replaceAll(`:${server.port}`, ':{{port}}');
      });
      expect(lines).toMatchSnapshot();
    });
  }
});
