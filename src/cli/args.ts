import { parseArgs } from 'node:util';
import { failOnLevels, type Config, type FailOn } from '../config/types.js';
import { maxTimerMs, timerMsExpected } from '../config/validate.js';
import { InputError } from '../errors.js';
import { formats, type FormatName } from '../report/index.js';
import { rules } from '../rules/index.js';
import { defaultFixRules, fixableRules, isFixableRule, type FixableRule } from '../fix/rules.js';
import { closest } from '../suggest.js';
import { tool } from '../tool.js';

/** One extra report written to a file: `--output <format>:<file>`. */
export interface OutputTarget {
  readonly format: FormatName;
  readonly file: string;
}

/** What the command line asked for. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'check';
      readonly paths: readonly string[];
      readonly format: FormatName;
      readonly outputs: readonly OutputTarget[];
      readonly configPath?: string;
      readonly noConfig: boolean;
      readonly quiet: boolean;
      readonly verbose: boolean;
      /** `--list-files`: print what would be checked and stop. */
      readonly listFiles: boolean;
      /** `--changed-since <ref>`: PR mode, only what changed since the merge base with the ref. */
      readonly changedSince?: string;
      /** `--fix[=<rules>]` or `--fix-dry-run`: the rules to fix, and whether only to show the diff. */
      readonly fix?: FixRequest;
      /** Only the settings the user passed; an unset flag never overrides the config file. */
      readonly flags: Partial<Config>;
    };

/** What `--fix` and `--fix-dry-run` asked for. */
export interface FixRequest {
  readonly rules: readonly FixableRule[];
  readonly dryRun: boolean;
}

/** The rule table of `--help`: every registered rule with its default severity, from the registry. */
function ruleLines(): string {
  const width = Math.max(...rules.map((rule) => rule.id.length)) + 2;
  return rules
    .map((rule) => `  ${rule.id.padEnd(width)}${(rule.isOptIn === true ? 'off' : rule.severity).padEnd(9)}${rule.description}`)
    .join('\n');
}

/** Where `--help`'s descriptions start, and the width they wrap to. */
const descriptionColumn = 31;
const helpWidth = 100;

/** A description too long for one line, wrapped between words, continuation lines aligned under it. */
function wrapDescription(text: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && descriptionColumn + current.length + 1 + word.length > helpWidth) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  lines.push(current);
  return lines.join(`\n${' '.repeat(descriptionColumn)}`);
}

/** The usage text printed by `--help`; the README carries a copy that a test keeps in step. */
export const helpText = `Usage: waymark [options] [paths...]
       waymark rot [rot options] [options] [paths...]
       waymark init [--force]
       waymark explain [-c <path>] [--no-config] <url>

Check links, images and anchors in markdown files the way GitHub renders them. \`rot\` checks,
then records each external URL in a ledger and reports link rot: URLs failing several runs in
a row. \`init\` writes a waymark.config.json and two GitHub workflows using the Waymark action.
\`explain\` prints what a run would do with one URL (patterns, provider, request, cache) and
requests nothing.

Arguments:
  paths                        files, directories or globs to check (default: .); a leading
                               'check' or 'run' word is skipped unless a file has that name

Options:
  -f, --format <name>          ${wrapDescription(`output format: ${formats.join(', ')} (default: text)`)}
  -o, --output <fmt:file>      also write the report to a file, e.g. json:waymark.json (repeatable)
  -c, --config <path>          use this config file instead of searching for one
      --no-config              ignore config files
      --exclude <glob>         skip files matching the glob (repeatable)
      --list-files             print the files that would be checked, one per line, and exit
      --fix=<rules>            ${wrapDescription(`fix what is certain, in place, for these comma-separated rules: ${fixableRules.join(', ')}; --fix alone fixes all but ${fixableRules.filter((id) => !defaultFixRules.includes(id)).join(', ')}`)}
      --fix-dry-run            print the fixes as a unified diff on stdout and change nothing
      --changed-since <ref>    PR mode: check only markdown changed since the merge base with
                               <ref>, and files linking to it; external URLs only on changed lines
      --repository <slug>      this repository's owner/name on GitHub
      --default-branch <name>  the repository's default branch (default: from git)
      --root <dir>             the repository root links may not climb above (default: from git)
      --fail-on <level>        exit 1 on: error (default), unverifiable (errors and links that could
                               not be verified) or warning (any finding)
  -q, --quiet                  print findings only: no summary line, no progress, no notices
  -v, --verbose                say how many files are checked, and log every HTTP request with
                               its status and timing, to stderr
  -h, --help                   show this help
  -V, --version                show the version

Network:
      --offline                never touch the network; external links are counted as not checked
      --require-network        exit 1 when the network is unreachable
      --concurrency <n>        most requests in flight overall (default: 64)
      --host-concurrency <n>   most requests in flight to one host (default: 8; starts at 4)
      --connect-timeout <ms>   time to wait for a connection (default: 10000)
      --headers-timeout <ms>   time to wait for response headers (default: 15000)
      --timeout <ms>           time one request may take, body included (default: 30000)
      --max-redirects <n>      redirects followed per URL (default: 10)
      --retries <n>            retries for network errors and 5xx responses (default: 2)
      --recheck-delay <ms>     wait after a timeout, reset or 5xx before checking its URL once
                               more (default: 5000)
      --allow-private          also fetch loopback, private and link-local addresses
      --insecure               accept invalid TLS certificates
      --cache                  keep results in .waymark/cache.json between runs
      --no-parse-cache         parse every file, even those unchanged since the last run
      --max-cache-age <age>    how long a cached success is reused: 90s, 30m, 12h, 1d (default: 1d)
      --budget <n>             check at most n external URLs, least recently verified first (needs
                               --cache); the rest wait for a later run

Rot options:
      --ledger <file>          where results are kept between runs (default: .waymark/ledger.json)
      --rot-after <n>          failing runs in a row before a URL is rot (default: 2)
      --reset-ledger           start a new ledger instead of reading the old one
      --github-issue           keep one issue up to date (GITHUB_TOKEN, GITHUB_REPOSITORY)
      --issue-label <name>     the issue's label (default: link-rot)
      --issue-title <text>     the title of a new issue (default: Link rot report)
      --dry-run                say what would change in the issue and the ledger; change nothing

Config file:
  waymark.config.json or waymark.config.mjs, found in the current directory or a parent;
  flags win over the file. Turn a rule off or change its level with "rules":
  { "rules": { "tracking-param": "error", "unverifiable": "off" } }

Rules (id, default level):
${ruleLines()}

Examples:
  waymark                            check every markdown file under the current directory
  waymark README.md docs/            check a file and a folder
  waymark --offline -q               local files and anchors only; print findings only
  waymark --list-files docs/         show which files would be checked
  waymark --changed-since main       check what this branch changed since it left main
  waymark -f github -o sarif:w.sarif annotations for a pull request, and a SARIF file

Exit codes: 0 no errors, 1 errors found (see --fail-on; with --fix: left unfixed), 2 the run
itself failed (usage, config, internal, a file --fix could not write).
Documentation: ${tool.homepage ?? 'README.md'}
`;

const options = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o', multiple: true },
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  'list-files': { type: 'boolean' },
  fix: { type: 'string' },
  'fix-dry-run': { type: 'boolean' },
  'changed-since': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  'require-network': { type: 'boolean' },
  repository: { type: 'string' },
  concurrency: { type: 'string' },
  'host-concurrency': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'headers-timeout': { type: 'string' },
  timeout: { type: 'string' },
  'max-redirects': { type: 'string' },
  retries: { type: 'string' },
  'recheck-delay': { type: 'string' },
  'fail-on': { type: 'string' },
  'allow-private': { type: 'boolean' },
  insecure: { type: 'boolean' },
  cache: { type: 'boolean' },
  'no-parse-cache': { type: 'boolean' },
  'max-cache-age': { type: 'string' },
  budget: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'default-branch': { type: 'string' },
  root: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** The long flag names, for "did you mean" and the drift test against the README. */
export const flagNames: readonly string[] = Object.keys(options).map((name) => `--${name}`);

/** Parses argv (without `node` and the script); throws `InputError` naming the flag on bad input. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: withFixValue(argv), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const format = parseFormat('--format', values.format ?? 'text');
  const outputs = (values.output ?? []).map(parseOutput);
  const repository = values.repository;
  if (repository !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new InputError('--repository', `expected owner/name, got \`${repository}\``);
  }
  const changedSince = values['changed-since'];
  if (changedSince !== undefined && (changedSince === '' || changedSince.startsWith('-'))) {
    throw new InputError('--changed-since', `expected a git ref such as origin/main, got \`${changedSince}\``);
  }
  if (changedSince !== undefined && values['list-files'] === true) {
    throw new InputError('--changed-since', 'cannot be combined with --list-files');
  }
  const fix = parseFix(values.fix, values['fix-dry-run'] === true);
  if (fix !== undefined && values['list-files'] === true) {
    throw new InputError(fix.dryRun ? '--fix-dry-run' : '--fix', 'cannot be combined with --list-files');
  }
  const flags: Partial<Config> = {
    ...(values.exclude === undefined ? {} : { exclude: values.exclude }),
    ...(values.offline === undefined ? {} : { offline: values.offline }),
    ...(values['require-network'] === undefined ? {} : { requireNetwork: values['require-network'] }),
    ...(repository === undefined ? {} : { repository }),
    ...(values['default-branch'] === undefined ? {} : { defaultBranch: values['default-branch'] }),
    ...(values.root === undefined ? {} : { root: values.root }),
    ...integerFlag('concurrency', values.concurrency, 1),
    ...integerFlag('hostConcurrency', values['host-concurrency'], 1),
    ...integerFlag('connectTimeout', values['connect-timeout'], 1, maxTimerMs),
    ...integerFlag('headersTimeout', values['headers-timeout'], 1, maxTimerMs),
    ...integerFlag('timeout', values.timeout, 1, maxTimerMs),
    ...integerFlag('maxRedirects', values['max-redirects'], 0),
    ...integerFlag('retries', values.retries, 0),
    ...integerFlag('recheckDelay', values['recheck-delay'], 0, maxTimerMs),
    ...(values['fail-on'] === undefined ? {} : { failOn: parseFailOn(values['fail-on']) }),
    ...(values['allow-private'] === undefined ? {} : { allowPrivate: values['allow-private'] }),
    ...(values.insecure === undefined ? {} : { insecure: values.insecure }),
    ...(values.cache === undefined ? {} : { cache: values.cache }),
    ...(values['no-parse-cache'] === true ? { parseCache: false } : {}),
    ...(values['max-cache-age'] === undefined ? {} : { maxCacheAge: parseAge(values['max-cache-age']) }),
    ...integerFlag('budget', values.budget, 1),
  };
  return {
    kind: 'check',
    paths: positionals,
    format,
    outputs,
    ...(values.config === undefined ? {} : { configPath: values.config }),
    noConfig: values['no-config'] === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    listFiles: values['list-files'] === true,
    ...(changedSince === undefined ? {} : { changedSince }),
    ...(fix === undefined ? {} : { fix }),
    flags,
  };
}

/**
 * `--fix` takes an optional value, which `parseArgs` cannot express: a bare `--fix` (before any
 * `--`) becomes `--fix=`, so it never swallows the path after it.
 */
function withFixValue(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, i) => (arg === '--fix' && (end === -1 || i < end) ? '--fix=' : arg));
}

/** The rules `--fix=<rules>` names (every default one for a bare `--fix`), checked against the fixable rules. */
function parseFix(value: string | undefined, dryRun: boolean): FixRequest | undefined {
  if (value === undefined) return dryRun ? { rules: defaultFixRules, dryRun } : undefined;
  if (value === '') return { rules: defaultFixRules, dryRun };
  const chosen: FixableRule[] = [];
  for (const name of value.split(',').map((part) => part.trim())) {
    if (!isFixableRule(name)) {
      const suggestion = closest(name, fixableRules);
      const hint = suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`;
      throw new InputError('--fix', `expected rules among ${fixableRules.join(', ')}, got \`${name}\`${hint}`);
    }
    if (!chosen.includes(name)) chosen.push(name);
  }
  return { rules: chosen, dryRun };
}

type NumericKey =
  | 'concurrency'
  | 'hostConcurrency'
  | 'connectTimeout'
  | 'headersTimeout'
  | 'timeout'
  | 'maxRedirects'
  | 'retries'
  | 'budget'
  | 'recheckDelay';

/**
 * `{ key: n }` for a flag holding an integer of at least `min`, `{}` when the flag is absent;
 * timeouts pass `maxTimerMs` as `max`, since Node clamps a longer timer to 1 ms.
 */
function integerFlag(key: NumericKey, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): Partial<Config> {
  if (value === undefined) return {};
  const flag = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    const expected = min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new InputError(flag, `expected ${expected}, got \`${value}\``);
  }
  if (Number(value) > max) {
    const bound = min === 0 ? `a non-negative integer of at most ${maxTimerMs}` : timerMsExpected;
    throw new InputError(flag, `expected ${bound}, got \`${value}\``);
  }
  return { [key]: Number(value) };
}

const ageUnits = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Parses `90`, `90s`, `30m`, `12h` or `1d` into seconds. */
function parseAge(value: string): number {
  const match = /^(\d+)([smhd])?$/.exec(value);
  if (match === null) throw new InputError('--max-cache-age', `expected a duration like 90s, 30m, 12h or 1d, got \`${value}\``);
  const unit = (match[2] ?? 's') as keyof typeof ageUnits;
  return Number(match[1]) * ageUnits[unit];
}

function parseFailOn(value: string): FailOn {
  const level = failOnLevels.find((name) => name === value);
  if (level === undefined) throw new InputError('--fail-on', `expected one of ${failOnLevels.join(', ')}, got \`${value}\``);
  return level;
}

function parseFormat(flag: string, value: string): FormatName {
  const format = formats.find((name) => name === value);
  if (format === undefined) throw new InputError(flag, `expected one of ${formats.join(', ')}, got \`${value}\``);
  return format;
}

function parseOutput(value: string): OutputTarget {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw new InputError('--output', `expected <format>:<file>, e.g. json:waymark.json, got \`${value}\``);
  }
  return { format: parseFormat('--output', value.slice(0, colon)), file: value.slice(colon + 1) };
}

/** Rewrites `parseArgs` errors into one-line `InputError`s that name the flag. */
function usageError(error: unknown): InputError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1] ?? 'arguments';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = flag.replace(/=.*$/, '');
    const suggestion = closest(name, flagNames);
    return new InputError(name, `unknown option${suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new InputError(flag.split(',')[0] ?? flag, 'expected a value');
  }
  return new InputError(flag, message.split('\n')[0] ?? message);
}
