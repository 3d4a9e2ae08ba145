/**
 * The GitHub Action's entry (`action.yml` runs the bundled copy, `action/index.mjs`).
 *
 * It reads the `INPUT_*` environment the runner provides, turns the inputs into one command line
 * and runs it: annotations (`--format github`) on stdout, the markdown report appended to the job
 * summary, the JSON report kept as a file, SARIF when asked, and the counts and exit code written
 * to `GITHUB_OUTPUT`. On a pull request it checks only what the pull request changed
 * (`--changed-since` its base) unless `changed-only` is false. With `mode: rot` it runs
 * `waymark rot --github-issue` instead, keeping the ledger in `.waymark/` with the cache.
 */
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { ExitCode, run } from '../cli/run.js';

/** What the entry talks to; the runner's environment and streams, or a test's. */
export interface ActionIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** The values `fail-on` takes: the lowest severity that fails the step, or `never`. */
const failOnValues = ['error', 'warning', 'never'] as const;
type FailOn = (typeof failOnValues)[number];

/** An input as the runner passes it: `INPUT_<NAME>`, upper case, spaces as `_`, hyphens kept. */
function input(env: ActionIo['env'], name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function booleanInput(env: ActionIo['env'], name: string, fallback: boolean): boolean {
  const value = input(env, name).toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ActionInputError(name, `expected true or false, got \`${value}\``);
}

class ActionInputError extends Error {
  constructor(
    readonly inputName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Splits `args` the way a shell would split plain words: on whitespace, with '…' and "…"
 * quoting and `\` escaping one character. Nothing is expanded.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) word = (word ?? '') + (text[++i] ?? '');
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < text.length) {
      word = (word ?? '') + (text[++i] ?? '');
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== undefined) throw new ActionInputError('args', `unclosed ${quote} quote`);
  if (word !== undefined) words.push(word);
  return words;
}

/** The pull request's base commit, when the event is a pull request. */
async function pullRequestBase(env: ActionIo['env']): Promise<string | undefined> {
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return undefined;
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (eventPath === undefined || eventPath === '') return undefined;
  try {
    const event = JSON.parse(await readFile(eventPath, 'utf8')) as { pull_request?: { base?: { sha?: unknown } } };
    const sha = event.pull_request?.base?.sha;
    return typeof sha === 'string' && /^[0-9a-f]{40}$/i.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** The counts a JSON report holds. */
interface Counts {
  readonly errors: number;
  readonly warnings: number;
}

async function readCounts(file: string): Promise<Counts | undefined> {
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as { summary?: { errors?: unknown; warnings?: unknown } };
    const { errors, warnings } = report.summary ?? {};
    return typeof errors === 'number' && typeof warnings === 'number' ? { errors, warnings } : undefined;
  } catch {
    return undefined;
  }
}

/** Escapes a workflow command's data, as the runner unescapes it. */
function commandData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** The command line the inputs stand for, and where its JSON report goes. */
export async function commandLine(
  io: ActionIo,
  reportDir: string,
): Promise<{ argv: string[]; report: string; summary: string; html: string; failOn: FailOn }> {
  const { env } = io;
  const mode = input(env, 'mode') || 'check';
  if (mode !== 'check' && mode !== 'rot') throw new ActionInputError('mode', `expected \`check\` or \`rot\`, got \`${mode}\``);
  const failOnText = input(env, 'fail-on') || 'error';
  const failOn = failOnValues.find((value) => value === failOnText);
  if (failOn === undefined) {
    throw new ActionInputError('fail-on', `expected one of ${failOnValues.join(', ')}, got \`${failOnText}\``);
  }
  const report = path.join(reportDir, 'waymark.json');
  const summary = path.join(reportDir, 'waymark.md');
  const html = path.join(reportDir, 'waymark.html');
  // `rot` checks everything and keeps the one link rot issue up to date (see src/cli/rot.ts).
  const argv = [...(mode === 'rot' ? ['rot', '--github-issue'] : []), '--format', 'github', '--output', `json:${report}`, '--output', `markdown:${summary}`, '--output', `html:${html}`];
  const sarif = input(env, 'sarif');
  if (sarif !== '') argv.push('--output', `sarif:${sarif}`);
  const config = input(env, 'config');
  if (config !== '') argv.push('--config', config);
  // The weekly run's successes stay fresh until the next one (see the README's cache section).
  if (booleanInput(env, 'cache', true)) argv.push('--cache', '--max-cache-age', '8d');
  const base = await pullRequestBase(env);
  if (mode === 'check' && base !== undefined && booleanInput(env, 'changed-only', true)) argv.push('--changed-since', base);
  // Never check the action's own files when it sits inside the workspace (a vendored copy).
  const actionPath = env['GITHUB_ACTION_PATH'];
  if (actionPath !== undefined && actionPath !== '') {
    const inside = path.relative(io.cwd, actionPath);
    if (inside !== '' && !inside.startsWith('..') && !path.isAbsolute(inside)) {
      argv.push('--exclude', `${inside.split(path.sep).join('/')}/**`);
    }
  }
  argv.push(...splitArgs(input(env, 'args')));
  const paths = input(env, 'paths');
  if (paths !== '') argv.push('--', ...paths.split(/\s+/).filter(Boolean));
  return { argv, report, summary, html, failOn };
}

/** Runs the action; returns the exit code the step ends with. */
export async function runAction(io: ActionIo): Promise<number> {
  const { env } = io;
  const reportDir = await mkdtemp(path.join(env['RUNNER_TEMP'] || tmpdir(), 'waymark-'));
  let line;
  try {
    line = await commandLine(io, reportDir);
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    io.stdout.write(`::error title=waymark::${commandData(`input ${error.inputName}: ${error.message}`)}\n`);
    return ExitCode.Fatal;
  }
  const code = await run({ argv: line.argv, cwd: io.cwd, env, stdout: io.stdout, stderr: io.stderr });
  const summaryFile = env['GITHUB_STEP_SUMMARY'];
  if (summaryFile !== undefined && summaryFile !== '') {
    const markdown = await readFile(line.summary, 'utf8').catch(() => undefined);
    if (markdown !== undefined) await appendFile(summaryFile, markdown);
  }
  const counts = await readCounts(line.report);
  const { failOn } = line;
  const exitCode =
    code === ExitCode.Fatal || counts === undefined
      ? ExitCode.Fatal
      : failOn === 'never'
        ? ExitCode.Ok
        : failOn === 'warning' && counts.errors + counts.warnings > 0
          ? ExitCode.Findings
          : code;
  const outputFile = env['GITHUB_OUTPUT'];
  if (outputFile !== undefined && outputFile !== '') {
    const outputs = [`exit-code=${exitCode}`];
    if (counts !== undefined) outputs.push(`errors=${counts.errors}`, `warnings=${counts.warnings}`, `report=${line.report}`, `html=${line.html}`);
    await appendFile(outputFile, `${outputs.join('\n')}\n`);
  }
  return exitCode;
}
