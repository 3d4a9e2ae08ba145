import * as v from 'valibot';
import { closest } from '../suggest.js';
import { providerNames, type RuleId, type RuleLevel } from '../types.js';
import { ConfigError } from './errors.js';
import { patternProblem } from './pattern.js';
import { failOnLevels, type Config } from './types.js';

/** Every rule id a config file may name under `rules`, in registry order. */
export const ruleIds = [
  'dead-link',
  'missing-anchor',
  'missing-file',
  'tracking-param',
  'redirect',
  'insecure-link',
  'unverifiable',
  'remote-fragment',
  'duplicate-link',
  'link-text',
  'empty-link',
  'toc-mismatch',
  'unused-definition',
  'github-archived',
  'soft-404',
] as const satisfies readonly RuleId[];

/** The levels a rule can be set to. */
export const ruleLevels = ['off', 'warn', 'error'] as const satisfies readonly RuleLevel[];

/** The settings a config file may hold: any subset of `Config`. */
export type UserConfig = Partial<Config>;

/** A partial object with every key whose value is `undefined` left out. */
export type WithoutUndefined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * Returns a shallow copy of `value` without the keys whose value is `undefined`.
 *
 * A key set to `undefined` (an unset flag, `process.env.X` in a `.mjs` config) means "not set".
 */
export function withoutUndefined<T extends object>(value: T): WithoutUndefined<T> {
  // Safe: only keys holding `undefined` are removed, which is exactly what the type describes.
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as WithoutUndefined<T>;
}

/**
 * Checks parsed JSON or a `.mjs` config's export and returns the settings it holds.
 *
 * `source` names the input in errors (`waymark.config.json`). Throws a `ConfigError` for the first
 * problem found, with the key path as `where` and what was expected and found as the message.
 */
export function validateConfig(input: unknown, source: string): UserConfig {
  const result = v.safeParse(configSchema, input);
  if (!result.success) {
    const [issue] = result.issues;
    const keyPath = formatPath(issue.path ?? []);
    throw new ConfigError(keyPath === '' ? source : `${source}: ${keyPath}`, issue.message);
  }
  const { $schema, hosts, providers, ...settings } = result.output;
  return withoutUndefined({
    ...settings,
    hosts: hosts && Object.fromEntries(Object.entries(hosts).map(([host, config]) => [host, withoutUndefined(config)])),
    providers:
      providers &&
      Object.fromEntries(Object.entries(providers).flatMap(([name, config]) => (config === undefined ? [] : [[name, withoutUndefined(config)]]))),
  });
}

/** Describes a value the way the user wrote it: strings quoted, containers by kind. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** An error message saying what was wanted and what the input was. */
function expected(what: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => `expected ${what}, got ${describe(issue.input)}`;
}

/** Formats a key path: `hosts["github.com"].concurrency`, `ignoreUrls[2]`, `rules.dead-link`. */
function formatPath(path: readonly v.IssuePathItem[]): string {
  let text = '';
  for (const item of path) {
    const key: unknown = item.key;
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

/** True for a plain object: not `null`, not an array. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object with exactly the given optional keys; other keys are reported with a suggestion. */
function options<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  const known = Object.keys(entries);
  return v.pipe(
    v.custom<Record<string, unknown>>(isObject, expected('an object')),
    v.strictObject(entries, (issue) => {
      const hint = closest(String(issue.input), known);
      return `unknown option${hint === undefined ? '' : `; did you mean \`${hint}\`?`}`;
    }),
  );
}

const positiveInteger = v.pipe(
  v.number(expected('a positive integer')),
  v.integer(expected('a positive integer')),
  v.minValue(1, expected('a positive integer')),
);

/**
 * The longest timer Node keeps: a longer delay is clamped to 1 ms, which would fail every request
 * at once, so timeouts above it are refused.
 */
export const maxTimerMs = 2_147_483_647;

/** What a timeout over `maxTimerMs` is told it should have been. */
export const timerMsExpected = `a positive integer of at most ${maxTimerMs} (the longest timer Node keeps, about 24.8 days)`;

/** Milliseconds for a timer: a positive integer Node can wait for. */
const timerMs = v.pipe(positiveInteger, v.maxValue(maxTimerMs, expected(timerMsExpected)));

const nonNegativeInteger = v.pipe(
  v.number(expected('a non-negative integer')),
  v.integer(expected('a non-negative integer')),
  v.minValue(0, expected('a non-negative integer')),
);

/** Milliseconds a timer may wait, 0 included. */
const delayMs = v.pipe(nonNegativeInteger, v.maxValue(maxTimerMs, expected(`a non-negative integer of at most ${maxTimerMs}`)));

const flag = v.boolean(expected('true or false'));

/**
 * A proxy URL as written, normalised, with `http://` assumed when no scheme is given
 * (`proxy.corp:3128`, as curl reads it); undefined unless it is an `http:` or `https:` URL.
 */
export function proxyUrlOf(value: string): string | undefined {
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  if (!URL.canParse(withScheme)) return undefined;
  const parsed = new URL(withScheme);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' ? parsed.href : undefined;
}

const proxyExpected = 'a proxy URL such as http://proxy.example:3128, or false';
const proxySetting = v.union(
  [v.literal(false), v.pipe(v.string(), v.check((value) => proxyUrlOf(value) !== undefined))],
  expected(proxyExpected),
);

const failOn = v.picklist(failOnLevels, expected(failOnLevels.map((level) => `"${level}"`).join(' | ')));

const glob = v.pipe(v.string(expected('a glob')), v.minLength(1, expected('a glob')));

/** A URL pattern: a regular expression in the syntax `pattern.ts` accepts (linear-time matching). */
const regex = v.pipe(
  v.string(expected('a regular expression')),
  v.check(
    (source) => patternProblem(source) === undefined,
    (issue) => `${expected('a regular expression')(issue)} (${patternProblem(String(issue.input)) ?? ''})`,
  ),
);

const ruleLevel = v.picklist(ruleLevels, expected(ruleLevels.map((level) => `"${level}"`).join(' | ')));

const ruleId = v.picklist(ruleIds, (issue) => {
  const hint = closest(String(issue.input), ruleIds);
  return `unknown rule id${hint === undefined ? '' : `; did you mean \`${hint}\`?`}`;
});

const rules = v.pipe(v.custom<Record<string, unknown>>(isObject, expected('an object')), v.record(ruleId, ruleLevel));

const hosts = v.pipe(
  v.custom<Record<string, unknown>>(isObject, expected('an object')),
  v.record(v.string(), options({ concurrency: v.optional(positiveInteger) })),
);

/** An API base URL: absolute `http:` or `https:`. */
const apiUrl = v.pipe(
  v.string(expected('an http(s) URL')),
  v.check((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), expected('an http(s) URL')),
);

const providers = options(
  Object.fromEntries(providerNames.map((name) => [name, v.optional(options({ url: v.optional(apiUrl) }))])) as Record<
    (typeof providerNames)[number],
    v.OptionalSchema<ReturnType<typeof options<{ url: v.OptionalSchema<typeof apiUrl, undefined> }>>, undefined>
  >,
);

export const configSchema = options({
  $schema: v.optional(v.string(expected('a string'))),
  rules: v.optional(rules),
  exclude: v.optional(v.array(glob, expected('an array of globs'))),
  ignoreUrls: v.optional(v.array(regex, expected('an array of regular expressions'))),
  allowTracking: v.optional(v.array(regex, expected('an array of regular expressions'))),
  repository: v.optional(
    v.pipe(v.string(expected('`owner/name`')), v.regex(/^[\w.-]+\/[\w.-]+$/, expected('`owner/name`'))),
  ),
  defaultBranch: v.optional(v.pipe(v.string(expected('a branch name')), v.minLength(1, expected('a branch name')))),
  root: v.optional(v.pipe(v.string(expected('a directory')), v.minLength(1, expected('a directory')))),
  offline: v.optional(flag),
  concurrency: v.optional(positiveInteger),
  hostConcurrency: v.optional(positiveInteger),
  hosts: v.optional(hosts),
  providers: v.optional(providers),
  connectTimeout: v.optional(timerMs),
  headersTimeout: v.optional(timerMs),
  timeout: v.optional(timerMs),
  maxRedirects: v.optional(nonNegativeInteger),
  retries: v.optional(nonNegativeInteger),
  recheckDelay: v.optional(delayMs),
  failOn: v.optional(failOn),
  allowPrivate: v.optional(flag),
  insecure: v.optional(flag),
  proxy: v.optional(proxySetting),
  requireNetwork: v.optional(flag),
  cache: v.optional(flag),
  parseCache: v.optional(flag),
  maxCacheAge: v.optional(nonNegativeInteger),
  budget: v.optional(positiveInteger),
  nonDescriptiveText: v.optional(v.array(v.string(expected('a string')), expected('an array of strings'))),
});
