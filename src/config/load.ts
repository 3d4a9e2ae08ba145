import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from './defaults.js';
import { ConfigError } from './errors.js';
import type { Config, HostConfig } from './types.js';
import { validateConfig, withoutUndefined } from './validate.js';
import type { UserConfig } from './validate.js';
import { watchLoad, type SlowLoadNotice } from './watch.js';

/** The file-system calls config loading needs; `node:fs/promises` fits as is. */
export interface ConfigFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  stat(path: string): Promise<{ isFile(): boolean }>;
}

/** Where to look for a config file and what to lay over it. */
export interface LoadConfigOptions {
  /** The directory the search starts from; relative paths are resolved against it. */
  readonly cwd: string;
  /** A config file to load instead of searching (`--config`); it must exist. */
  readonly configPath?: string;
  /** Load no config file at all (`--no-config`); wins over `configPath`. */
  readonly noConfig?: boolean;
  /** Settings from flags; only the keys the user set. */
  readonly flags?: Partial<Config>;
  /** File access; defaults to `node:fs/promises`. */
  readonly fs?: ConfigFs;
  /**
   * Write one warning line here when importing a `.mjs` config is still running after
   * `afterMs` (default 3000); see `watch.ts`. Without it a slow config loads silently.
   */
  readonly slowNotice?: SlowLoadNotice;
}

/** The resolved configuration and the absolute path of the file it came from, if any. */
export interface LoadedConfig {
  readonly config: Config;
  readonly path?: string;
}

/**
 * Resolves the configuration: defaults, then the config file, then flags.
 *
 * Without `configPath` it searches `cwd` and each parent for `waymark.config.json` or
 * `waymark.config.mjs`. Rule levels merge per rule id and `hosts` per host; arrays from flags are
 * added to the file's. Every problem is thrown as a `ConfigError`.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const fs = options.fs ?? nodeFs;
  const cwd = path.resolve(options.cwd);
  const file = options.noConfig === true ? undefined : await locate(fs, cwd, options.configPath);
  const fromFile = file === undefined ? {} : await readConfigFile(fs, file, displayPath(cwd, file), options.slowNotice);
  const config = mergeConfig(mergeConfig(defaultConfig, fromFile), options.flags ?? {});
  return file === undefined ? { config } : { config, path: file };
}

/**
 * Lays one layer of settings over a resolved configuration.
 *
 * Keys set in `layer` win and keys holding `undefined` are ignored; rule levels merge per rule id,
 * `hosts` per host, and arrays from `layer` are added to those of `base`.
 */
export function mergeConfig(base: Config, layer: Partial<Config>): Config {
  const set = withoutUndefined(layer);
  return {
    ...base,
    ...set,
    rules: { ...base.rules, ...withoutUndefined(set.rules ?? {}) },
    hosts: mergeHosts(base.hosts, set.hosts ?? {}),
    ...(base.providers === undefined && set.providers === undefined ? {} : { providers: { ...base.providers, ...set.providers } }),
    exclude: union(base.exclude, set.exclude),
    ignoreUrls: union(base.ignoreUrls, set.ignoreUrls),
    allowTracking: union(base.allowTracking, set.allowTracking),
  };
}

function mergeHosts(
  base: Readonly<Record<string, HostConfig>>,
  layer: Readonly<Record<string, HostConfig>>,
): Record<string, HostConfig> {
  const merged: Record<string, HostConfig> = { ...base };
  for (const [host, config] of Object.entries(layer)) merged[host] = { ...base[host], ...withoutUndefined(config) };
  return merged;
}

function union(base: readonly string[], added: readonly string[] | undefined): readonly string[] {
  return added === undefined ? base : [...new Set([...base, ...added])];
}

/** The config file to load: the given one (which must exist), or the nearest one found upward. */
async function locate(fs: ConfigFs, cwd: string, configPath: string | undefined): Promise<string | undefined> {
  if (configPath !== undefined) {
    const file = path.resolve(cwd, configPath);
    if (!(await isFile(fs, file))) throw new ConfigError(configPath, 'Cannot find config file');
    return file;
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const json = path.join(dir, 'waymark.config.json');
    const mjs = path.join(dir, 'waymark.config.mjs');
    const [hasJson, hasMjs] = await Promise.all([isFile(fs, json), isFile(fs, mjs)]);
    if (hasJson && hasMjs) {
      throw new ConfigError(
        displayPath(cwd, mjs),
        `Unexpected second config file beside \`${displayPath(cwd, json)}\`, expected only one`,
      );
    }
    if (hasJson) return json;
    if (hasMjs) return mjs;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function isFile(fs: ConfigFs, file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Reads, parses and validates one config file; `source` names it in errors. */
async function readConfigFile(fs: ConfigFs, file: string, source: string, notice?: SlowLoadNotice): Promise<UserConfig> {
  const extension = path.extname(file);
  if (extension === '.json') return rootFromFile(validateConfig(parseJson(await fs.readFile(file, 'utf8'), source), source), file);
  if (extension === '.mjs' || extension === '.js') {
    const exported = await watchLoad(source, () => importConfig(file, source), notice);
    return rootFromFile(validateConfig(exported, source), file);
  }
  throw new ConfigError(source, `Unexpected config file extension \`${extension}\`, expected \`.json\` or \`.mjs\``);
}

/** Parses JSON text, turning a syntax error into a `ConfigError` at `file:line:column`. */
function parseJson(text: string, source: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = message.startsWith('Unexpected end of JSON input')
      ? body.length
      : (positionIn(message) ?? findSyntaxError(body));
    const { line, column } = lineAndColumn(body, offset);
    throw new ConfigError(`${source}:${line}:${column}`, describeSyntaxError(message), { cause: error });
  }
}

/** The offset named in a `JSON.parse` message (`… in JSON at position 12 (line 2 column 3)`). */
function positionIn(message: string): number | undefined {
  const match = /\bat position (\d+)/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The message of a `JSON.parse` error without its position or its echo of the input. */
function describeSyntaxError(message: string): string {
  const token = /^Unexpected token '(.)'/su.exec(message)?.[1];
  if (token !== undefined) return `Unexpected token '${JSON.stringify(token).slice(1, -1)}'`;
  const text = message.replace(/ (?:in JSON )?at position \d+.*$/s, '').split('\n')[0];
  return text === undefined || text === '' ? 'Unexpected JSON syntax' : text;
}

/**
 * The offset of the first character `JSON.parse` rejects, for messages that don't name one.
 *
 * A prefix that ends before the bad character fails only because it ends early, one that includes
 * it fails at it, so a binary search over prefix lengths finds it.
 */
function findSyntaxError(text: string): number {
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (message.startsWith('Unexpected end of JSON input')) return false;
      const position = positionIn(message);
      return position === undefined || position < length;
    }
  };
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsInside(middle)) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

/** The 1-based line and column of a 0-based offset into `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** Imports a `.mjs` config and returns its default export, or its export named `config`. */
async function importConfig(file: string, source: string): Promise<unknown> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(source, message.split('\n')[0] || 'Cannot import config file', { cause: error });
  }
  const exported = namespace['default'] ?? namespace['config'];
  if (exported === undefined) throw new ConfigError(source, 'Cannot find a default export or an export named `config`');
  return exported;
}

/** A path as shown in messages: relative to `cwd`, with `/` separators. */
function displayPath(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

/** A `root` written in a config file is relative to that file's directory. */
function rootFromFile(config: UserConfig, file: string): UserConfig {
  return config.root === undefined ? config : { ...config, root: path.resolve(path.dirname(file), config.root) };
}
