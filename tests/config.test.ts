import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { ConfigError } from '../src/config/errors.js';
import { loadConfig, mergeConfig } from '../src/config/load.js';
import type { ConfigFs } from '../src/config/load.js';
import type { Config } from '../src/config/types.js';
import { ruleIds, validateConfig } from '../src/config/validate.js';
import type { RuleId } from '../src/types.js';

const tempDirs: string[] = [];

/** Makes a temp dir holding `files` (path → contents) and returns its real path. */
async function project(files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'waymark-config-'));
  tempDirs.push(root);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return root;
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The one line the CLI prints after `waymark: ` for the `ConfigError` that `action` throws. */
async function failure(action: Promise<unknown> | (() => unknown)): Promise<string> {
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  const line = `${error.where}: ${error.message}`;
  expect(line).not.toContain('\n');
  return line;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

describe('validateConfig', () => {
  it.each([
    [{ rules: { 'tracking-param': 'warning' } }, 'rules.tracking-param: expected "off" | "warn" | "error", got "warning"'],
    [{ hosts: { 'github.com': { concurrency: '4' } } }, 'hosts["github.com"].concurrency: expected a positive integer, got "4"'],
    [{ exlude: ['drafts/**'] }, 'exlude: unknown option; did you mean `exclude`?'],
    [{ 'max-redirects': 3 }, 'max-redirects: unknown option; did you mean `maxRedirects`?'],
    [{ colour: true }, 'colour: unknown option'],
    [{ hosts: { 'a.test': { concurency: 2 } } }, 'hosts["a.test"].concurency: unknown option; did you mean `concurrency`?'],
    [{ rules: { 'tracking-params': 'off' } }, 'rules.tracking-params: unknown rule id; did you mean `tracking-param`?'],
    [{ rules: { spelling: 'off' } }, 'rules.spelling: unknown rule id'],
    [{ ignoreUrls: ['^https://a\\.test/', 'b', '('] }, 'ignoreUrls[2]: expected a regular expression, got "(" (Unterminated group)'],
    [{ allowTracking: ['[a-'] }, 'allowTracking[0]: expected a regular expression, got "[a-" (Unterminated character class)'],
    [{ ignoreUrls: '^https://' }, 'ignoreUrls: expected an array of regular expressions, got "^https://"'],
    [{ exclude: ['docs/**', 3] }, 'exclude[1]: expected a glob, got 3'],
    [{ repository: 'waymark' }, 'repository: expected `owner/name`, got "waymark"'],
    [{ repository: 'a/b/c' }, 'repository: expected `owner/name`, got "a/b/c"'],
    [{ defaultBranch: '' }, 'defaultBranch: expected a branch name, got ""'],
    [{ concurrency: 0 }, 'concurrency: expected a positive integer, got 0'],
    [{ timeout: 1.5 }, 'timeout: expected a positive integer, got 1.5'],
    [{ maxCacheAge: -1 }, 'maxCacheAge: expected a non-negative integer, got -1'],
    [{ retries: null }, 'retries: expected a non-negative integer, got null'],
    [{ offline: 'yes' }, 'offline: expected true or false, got "yes"'],
    [{ rules: [] }, 'rules: expected an object, got an array'],
    [{ hosts: { 'x y': 4 } }, 'hosts["x y"]: expected an object, got 4'],
    [{ $schema: 1 }, '$schema: expected a string, got 1'],
  ])('rejects %j', (input, line) => {
    return expect(failure(() => validateConfig(input, 'waymark.config.json'))).resolves.toBe(
      `waymark.config.json: ${line}`,
    );
  });

  it('names only the source when the whole input has the wrong type', async () => {
    expect(await failure(() => validateConfig([], 'waymark.config.json'))).toBe(
      'waymark.config.json: expected an object, got an array',
    );
    expect(await failure(() => validateConfig(null, 'waymark.config.mjs'))).toBe(
      'waymark.config.mjs: expected an object, got null',
    );
  });

  it('accepts every option and drops `$schema` and keys set to `undefined`', () => {
    const settings = {
      rules: { 'dead-link': 'warn', 'link-text': 'off' },
      exclude: ['vendor/**'],
      ignoreUrls: ['^https://localhost'],
      allowTracking: ['[?&]ref=sponsor'],
      repository: 'octo-org/my.repo',
      offline: true,
      concurrency: 8,
      hostConcurrency: 2,
      connectTimeout: 1000,
      headersTimeout: 2000,
      timeout: 3000,
      maxRedirects: 0,
      retries: 0,
      allowPrivate: true,
      insecure: true,
      requireNetwork: true,
      cache: true,
      maxCacheAge: 0,
    };
    const input = {
      ...settings,
      $schema: './node_modules/waymark/schema.json',
      defaultBranch: undefined,
      hosts: { 'github.com': { concurrency: 1 }, 'a.test': { concurrency: undefined } },
    };
    const result = validateConfig(input, 'waymark.config.mjs');
    expect(result).toEqual({ ...settings, hosts: { 'github.com': { concurrency: 1 }, 'a.test': {} } });
    expect(Object.keys(result)).not.toContain('defaultBranch');
    expect(Object.keys(result)).not.toContain('$schema');
    expect(Object.keys(result.hosts?.['a.test'] ?? { missing: true })).toEqual([]);
  });

  it('knows exactly the rule ids of the `RuleId` union', () => {
    expectTypeOf<(typeof ruleIds)[number]>().toEqualTypeOf<RuleId>();
    expect(new Set(ruleIds).size).toBe(15);
    for (const id of ruleIds) expect(validateConfig({ rules: { [id]: 'off' } }, 'x.json')).toEqual({ rules: { [id]: 'off' } });
  });
});

describe('ConfigError', () => {
  it('is an Error with a name, a place and a message', () => {
    const error = new ConfigError('waymark.config.json: timeout', 'expected a positive integer, got 0');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.where).toBe('waymark.config.json: timeout');
    expect(error.message).toBe('expected a positive integer, got 0');
  });
});

describe('loadConfig: finding the file', () => {
  it('uses the defaults and no path with `noConfig`, even beside a config file', async () => {
    const cwd = await project({ 'waymark.config.json': json({ offline: true }) });
    const result = await loadConfig({ cwd, noConfig: true });
    expect(result).toEqual({ config: defaultConfig });
    expect('path' in result).toBe(false);
  });

  it('uses the defaults and no path when no directory up to the root has a config file', async () => {
    const cwd = await project({ 'docs/page.md': '# Page\n' });
    const result = await loadConfig({ cwd: path.join(cwd, 'docs') });
    expect(result).toEqual({ config: defaultConfig });
    expect('path' in result).toBe(false);
  });

  it('searches upward from `cwd` and returns the absolute path of the file it loaded', async () => {
    const root = await project({ 'waymark.config.json': json({ timeout: 5000 }), 'docs/guide/page.md': '# Page\n' });
    const result = await loadConfig({ cwd: path.join(root, 'docs', 'guide') });
    expect(result.path).toBe(path.join(root, 'waymark.config.json'));
    expect(result.config.timeout).toBe(5000);
  });

  it('stops at the nearest directory that has a config file', async () => {
    const root = await project({
      'waymark.config.json': json({ timeout: 5000 }),
      'docs/waymark.config.mjs': 'export default { timeout: 7000 };\n',
    });
    const result = await loadConfig({ cwd: path.join(root, 'docs') });
    expect(result).toEqual({ config: { ...defaultConfig, timeout: 7000 }, path: path.join(root, 'docs', 'waymark.config.mjs') });
  });

  it('rejects a directory holding both a JSON and an `.mjs` config', async () => {
    const root = await project({
      'waymark.config.json': json({}),
      'waymark.config.mjs': 'export default {};\n',
      'docs/page.md': '',
    });
    expect(await failure(loadConfig({ cwd: path.join(root, 'docs') }))).toBe(
      '../waymark.config.mjs: Unexpected second config file beside `../waymark.config.json`, expected only one',
    );
  });

  it('loads `configPath` relative to `cwd` instead of searching', async () => {
    const cwd = await project({ 'waymark.config.json': json({ timeout: 5000 }), 'ci/links.json': json({ retries: 0 }) });
    const result = await loadConfig({ cwd, configPath: 'ci/links.json' });
    expect(result).toEqual({ config: { ...defaultConfig, retries: 0 }, path: path.join(cwd, 'ci', 'links.json') });
  });

  it('fails when `configPath` does not exist, naming the path as given', async () => {
    const cwd = await project({ 'waymark.config.json': json({}) });
    expect(await failure(loadConfig({ cwd, configPath: 'ci/missing.json' }))).toBe(
      'ci/missing.json: Cannot find config file',
    );
  });

  it('rejects a config file with an unknown extension', async () => {
    const cwd = await project({ 'links.yaml': 'timeout: 1\n' });
    expect(await failure(loadConfig({ cwd, configPath: 'links.yaml' }))).toBe(
      'links.yaml: Unexpected config file extension `.yaml`, expected `.json` or `.mjs`',
    );
  });

  it('reads through the injected file system', async () => {
    const cwd = await project({ 'waymark.config.json': json({ timeout: 5000 }) });
    const seen: string[] = [];
    const fs: ConfigFs = {
      stat: (file) => stat(file),
      readFile: async (file, encoding) => {
        seen.push(file);
        return (await readFile(file, encoding)).replace('5000', '6000');
      },
    };
    const result = await loadConfig({ cwd, fs });
    expect(seen).toEqual([path.join(cwd, 'waymark.config.json')]);
    expect(result.config.timeout).toBe(6000);
  });
});

describe('loadConfig: JSON files', () => {
  it('reports a validation problem with the file name relative to `cwd`', async () => {
    const root = await project({ 'waymark.config.json': json({ hosts: { 'github.com': { concurrency: '4' } } }) });
    expect(await failure(loadConfig({ cwd: root }))).toBe(
      'waymark.config.json: hosts["github.com"].concurrency: expected a positive integer, got "4"',
    );
  });

  it.each([
    ['a position in the message', '{\n  "timeout": 1000\n  "retries": 1\n}\n', '3:3: Expected \',\' or \'}\' after property value'],
    ['a trailing comma', '{\n  "exclude": ["a"],\n}\n', '3:1: Expected double-quoted property name'],
    ['no position in the message', '{\n  "rules": {\n    "dead-link": [1,]\n  }\n}\n', '3:21: Unexpected token \']\''],
    ['a token that is a newline', '{\n  "offline": tru\n}\n', '2:17: Unexpected token \'\\n\''],
    ['an empty file', '', '1:1: Unexpected end of JSON input'],
  ])('reports a syntax error at file:line:column (%s)', async (_, text, position) => {
    const cwd = await project({ 'waymark.config.json': text });
    expect(await failure(loadConfig({ cwd }))).toBe(`waymark.config.json:${position}`);
  });

  it('ignores a byte order mark', async () => {
    const cwd = await project({ 'waymark.config.json': `\uFEFF${json({ retries: 5 })}` });
    expect((await loadConfig({ cwd })).config.retries).toBe(5);
  });
});

describe('loadConfig: .mjs files', () => {
  it('uses the default export', async () => {
    const cwd = await project({ 'waymark.config.mjs': 'export default { rules: { redirect: "off" } };\n' });
    expect((await loadConfig({ cwd })).config.rules).toEqual({ redirect: 'off' });
  });

  it('uses an export named `config`', async () => {
    const cwd = await project({ 'waymark.config.mjs': 'export const config = { exclude: ["vendor/**"] };\n' });
    expect((await loadConfig({ cwd })).config.exclude).toEqual(['vendor/**']);
  });

  it('treats a key set to `undefined` as not set', async () => {
    const cwd = await project({
      'waymark.config.mjs': 'export default { repository: process.env.WAYMARK_TEST_UNSET_VARIABLE, retries: 1 };\n',
    });
    const { config } = await loadConfig({ cwd });
    expect(config).toEqual({ ...defaultConfig, retries: 1 });
    expect(Object.keys(config)).not.toContain('repository');
  });

  it('reports the first line of an error thrown while importing', async () => {
    const cwd = await project({ 'waymark.config.mjs': 'throw new Error("Cannot read `links.txt`\\nmore detail");\n' });
    expect(await failure(loadConfig({ cwd }))).toBe('waymark.config.mjs: Cannot read `links.txt`');
  });

  it('reports a syntax error in the module', async () => {
    const cwd = await project({ 'waymark.config.mjs': 'export default {\n  timeout: ,\n};\n' });
    // The wording after the file name comes from the module loader, so only the place is pinned.
    expect(await failure(loadConfig({ cwd }))).toMatch(/^waymark\.config\.mjs: \S/);
  });

  it('fails when the module exports no config', async () => {
    const cwd = await project({ 'waymark.config.mjs': 'export const settings = {};\n' });
    expect(await failure(loadConfig({ cwd }))).toBe(
      'waymark.config.mjs: Cannot find a default export or an export named `config`',
    );
  });

  it('validates the export', async () => {
    const cwd = await project({ 'waymark.config.mjs': 'export default { exlude: [] };\n' });
    expect(await failure(loadConfig({ cwd }))).toBe('waymark.config.mjs: exlude: unknown option; did you mean `exclude`?');
  });
});

describe('loadConfig: precedence', () => {
  const file = {
    rules: { 'dead-link': 'warn', redirect: 'off' },
    exclude: ['vendor/**'],
    hosts: { 'github.com': { concurrency: 1 }, 'a.test': { concurrency: 3 } },
    timeout: 5000,
    retries: 0,
    offline: true,
  } as const;

  it('lets the file beat the defaults and keeps defaults the file does not set', async () => {
    const cwd = await project({ 'waymark.config.json': json(file) });
    const { config } = await loadConfig({ cwd });
    expect(config).toEqual({ ...defaultConfig, ...file });
  });

  it('lets a flag beat the file', async () => {
    const cwd = await project({ 'waymark.config.json': json(file) });
    const { config } = await loadConfig({ cwd, flags: { timeout: 9000, offline: false, retries: 3 } });
    expect([config.timeout, config.offline, config.retries]).toEqual([9000, false, 3]);
  });

  it('never lets a flag that is `undefined` override the file', async () => {
    const cwd = await project({ 'waymark.config.json': json(file) });
    // Unset flags can reach the loader as keys holding `undefined`, which the type forbids.
    const flags = { timeout: undefined, exclude: undefined, rules: undefined } as unknown as Partial<Config>;
    const { config } = await loadConfig({ cwd, flags });
    expect(config).toEqual({ ...defaultConfig, ...file });
  });

  it('merges rule levels per rule id and hosts per host', async () => {
    const cwd = await project({ 'waymark.config.json': json(file) });
    const flags: Partial<Config> = {
      rules: { 'dead-link': 'error', 'link-text': 'off' },
      hosts: { 'github.com': { concurrency: 2 }, 'b.test': { concurrency: 5 } },
    };
    const { config } = await loadConfig({ cwd, flags });
    expect(config.rules).toEqual({ 'dead-link': 'error', redirect: 'off', 'link-text': 'off' });
    expect(config.hosts).toEqual({
      'github.com': { concurrency: 2 },
      'a.test': { concurrency: 3 },
      'b.test': { concurrency: 5 },
    });
  });

  it('adds arrays from flags to the file’s', async () => {
    const cwd = await project({ 'waymark.config.json': json(file) });
    const { config } = await loadConfig({ cwd, flags: { exclude: ['drafts/**', 'vendor/**'], ignoreUrls: ['^https://b\\.test'] } });
    expect(config.exclude).toEqual(['vendor/**', 'drafts/**']);
    expect(config.ignoreUrls).toEqual(['^https://b\\.test']);
  });

  it('applies flags without a config file', async () => {
    const cwd = await project();
    const { config } = await loadConfig({ cwd, noConfig: true, flags: { repository: 'octo/waymark' } });
    expect(config).toEqual({ ...defaultConfig, repository: 'octo/waymark' });
  });

  it('merges a layer without changing the base', () => {
    const merged = mergeConfig(defaultConfig, { exclude: ['a/**'], rules: { redirect: 'off' }, insecure: true });
    expect(merged).toEqual({ ...defaultConfig, exclude: ['a/**'], rules: { redirect: 'off' }, insecure: true });
    expect(defaultConfig.exclude).toEqual([]);
    expect(defaultConfig.rules).toEqual({});
  });
});
