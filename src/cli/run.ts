import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { check } from '../check/index.js';
import { collectFiles, toPosix } from '../collect/index.js';
import { nodeFileSystem } from '../io/fs.js';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { FailOn } from '../config/types.js';
import { InputError } from '../errors.js';
import { countLine, digest, fixFiles, outcomeLines, withoutFixed, type FileOutcome } from '../fix/index.js';
import { safeWrite, WriteError } from '../io/write.js';
import { formatters, type FormatName, type FormatOptions, type RotHistory } from '../report/index.js';
import { changedSinceNote, plural, printable } from '../report/text.js';
import { rules } from '../rules/index.js';
import type { Notice, Report } from '../types.js';
import type { NetOverrides } from '../resolve/external.js';
import { tool } from '../tool.js';
import { Progress, requestLine } from './progress.js';
import { helpText, parseCommand, type Command } from './args.js';

export { tool } from '../tool.js';

/** Documented exit codes: no error findings, error findings, the run itself failed. */
export const ExitCode = { Ok: 0, Findings: 1, Fatal: 2 } as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What the CLI talks to; tests pass their own streams and directories. */
export interface RunIo {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writable & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** The clock for dates the run records (the link rot ledger); the real one by default. */
  readonly now?: () => Date;
}

/**
 * Runs the command line and returns the exit code; only this module writes to the streams.
 *
 * Problems with the input print one line, `waymark: <where>: <message>`, and return 2; nothing
 * prints a stack trace.
 */
export async function run(io: RunIo): Promise<ExitCode> {
  try {
    return await runCommand(io);
  } catch (error) {
    if (error instanceof InputError || error instanceof ConfigError) {
      say(io.stderr, `waymark: ${error.where}: ${firstLine(error.message)}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      say(io.stderr, `waymark: internal error: ${firstLine(message)}`);
    }
    return ExitCode.Fatal;
  }
}

async function runCommand(io: RunIo): Promise<ExitCode> {
  if (isWord(io.argv[0], 'init', io.cwd)) {
    const { runInit } = await import('./init.js');
    for (const line of await runInit(io.argv.slice(1), io.cwd)) say(io.stdout, line);
    return ExitCode.Ok;
  }
  if (isWord(io.argv[0], 'explain', io.cwd)) {
    const { runExplain } = await import('./explain.js');
    for (const line of await runExplain(io.argv.slice(1), { cwd: io.cwd, env: io.env })) say(io.stdout, line);
    return ExitCode.Ok;
  }
  if (isWord(io.argv[0], 'rot', io.cwd)) {
    const { runRot } = await import('./rot.js');
    const code = await runRot(io.argv.slice(1), {
      cwd: io.cwd,
      env: io.env,
      now: io.now ?? (() => new Date()),
      say: (line) => say(io.stderr, line),
      check: async (argv) => {
        const command = parseCommand(argv);
        if (command.kind !== 'check') throw new InputError('rot', 'takes the check flags and paths; see waymark --help');
        if (command.fix !== undefined) throw new InputError(command.fix.dryRun ? '--fix-dry-run' : '--fix', 'cannot be combined with rot');
        return runCheck(io, command);
      },
    });
    return code === 0 ? ExitCode.Ok : code === 1 ? ExitCode.Findings : ExitCode.Fatal;
  }
  const command = parseCommand(io.argv);
  if (command.kind === 'help') {
    io.stdout.write(helpText);
    return ExitCode.Ok;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${tool.version}\n`);
    return ExitCode.Ok;
  }
  return (await runCheck(io, command)).code;
}

/** Runs one check as the command line asked, printing and writing its reports. */
async function runCheck(
  io: RunIo,
  command: Extract<Command, { kind: 'check' }>,
): Promise<{ code: ExitCode; report?: Report; withRot?: (rot: RotHistory) => Promise<void> }> {
  const { config } = await loadConfig({
    cwd: io.cwd,
    ...(command.configPath === undefined ? {} : { configPath: command.configPath }),
    noConfig: command.noConfig,
    ...slowNotice(io.stderr),
    flags: command.flags.root === undefined ? command.flags : { ...command.flags, root: path.resolve(io.cwd, command.flags.root) },
  });
  const paths = withoutVerb(command.paths, io.cwd);
  if (command.listFiles) {
    const files = await collectFiles({
      cwd: toPosix(path.resolve(io.cwd)),
      paths,
      exclude: config.exclude,
      fs: nodeFileSystem,
      ...(command.quiet ? {} : { onSkip: (notice: Notice) => say(io.stderr, noticeLine(notice)) }),
    });
    for (const file of files) say(io.stdout, file);
    return { code: ExitCode.Ok };
  }
  const progress = !command.quiet && !command.verbose && io.stderr.isTTY === true ? new Progress(io.stderr) : undefined;
  const token = io.env['GITHUB_TOKEN'];
  const net: NetOverrides = {
    proxyEnv: io.env,
    ...(token === undefined || token === '' ? {} : { githubToken: token }),
    ...(progress === undefined ? {} : { onPlan: (urls) => progress.plan(urls), onResult: (result) => progress.result(result) }),
    ...(command.verbose ? { onRequest: (event) => say(io.stderr, requestLine(event)) } : {}),
    ...(command.quiet
      ? {}
      : { onCacheWarning: (message, file) => say(io.stderr, `waymark: ${path.relative(io.cwd, file) || file}: warning: ${message}`) }),
  };
  let report: Report;
  // With --fix, what each file held when it was checked, so a file changed since is left alone.
  const checked = new Map<string, string>();
  try {
    report = await check({
      cwd: io.cwd,
      paths,
      config,
      io: { net },
      ...(command.changedSince === undefined ? {} : { changedSince: command.changedSince }),
      ...(command.verbose ? { onFiles: (files) => say(io.stderr, `waymark: checking ${plural(files.length, 'file')}`) } : {}),
      ...(command.fix === undefined ? {} : { onRead: (file: string, bytes: Uint8Array) => checked.set(path.resolve(file), digest(bytes)) }),
    });
  } finally {
    progress?.finish();
  }
  const fixed = command.fix === undefined ? undefined : await runFixes(io, command, report, checked);
  if (fixed !== undefined) report = fixed.report;
  if (!command.quiet) for (const notice of report.notices) say(io.stderr, noticeLine(notice));
  const changedNote = command.quiet ? undefined : changedSinceNote(report);
  if (changedNote !== undefined) say(io.stderr, `waymark: ${changedNote}`);
  const server = io.env['GITHUB_SERVER_URL'];
  const repository = io.env['GITHUB_REPOSITORY'];
  const sha = io.env['GITHUB_SHA'];
  const formatOptions: FormatOptions = {
    color: useColor(io),
    rules,
    tool: { name: tool.name, version: tool.version, ...(tool.homepage === undefined ? {} : { informationUri: tool.homepage }) },
    // On GitHub Actions, the HTML report's line links open the checked commit.
    ...(server && repository && sha ? { sourceBase: `${server}/${repository}/blob/${sha}/` } : {}),
  };
  const width = io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0 ? io.stdout.columns : undefined;
  // A dry run's stdout is the diff alone, ready for `git apply`; the report goes to stderr.
  const reportStream = command.fix?.dryRun === true ? io.stderr : io.stdout;
  reportStream.write(
    formatters[command.format](report, { ...formatOptions, findingsOnly: command.quiet, ...(width === undefined ? {} : { width }) }),
  );
  if (command.format !== 'text' && !command.quiet) {
    const note = offlineNote(report);
    if (note !== undefined) say(io.stderr, `waymark: ${note}`);
  }
  const writeOutputs = async (extra: Partial<FormatOptions>, only?: FormatName): Promise<void> => {
    for (const output of command.outputs) {
      if (only !== undefined && output.format !== only) continue;
      const text = formatters[output.format](report, { ...formatOptions, ...extra, color: false });
      await writeReport(path.resolve(io.cwd, output.file), output.file, text);
    }
  };
  await writeOutputs({});
  // `rot` draws its timeline into the HTML reports once the ledger is merged.
  const withRot = (rot: RotHistory): Promise<void> => writeOutputs({ rot }, 'html');
  if (config.requireNetwork && report.offlineReason === 'unreachable') {
    io.stderr.write('waymark: --require-network: the network is unreachable, so external links were not checked\n');
    return { code: ExitCode.Findings, report, withRot };
  }
  if (fixed?.failed === true) return { code: ExitCode.Fatal, report, withRot };
  return { code: fails(report, config.failOn) ? ExitCode.Findings : ExitCode.Ok, report, withRot };
}

/**
 * Whether a report fails the run under `--fail-on`: any error always does; `unverifiable` adds
 * the links that could not be verified (the `unverifiable` rule's findings: bot walls, weak
 * failures seen twice, 401, 403, 429), `warning` every finding.
 */
function fails(report: Report, failOn: FailOn): boolean {
  if (report.summary.errors > 0) return true;
  switch (failOn) {
    case 'error':
      return false;
    case 'unverifiable':
      return report.findings.some((finding) => finding.ruleId === 'unverifiable');
    case 'warning':
      return report.summary.warnings > 0;
  }
}

/**
 * Applies (or, in a dry run, diffs) the fixes of a finished check and says what it did: a line per
 * fix and a count on stderr, the diff on stdout. Returns the report without the fixed findings,
 * and whether some file could not be fixed (read-only, changed on disk, unwritable).
 */
async function runFixes(
  io: RunIo,
  command: Extract<Command, { kind: 'check' }>,
  report: Report,
  checked: ReadonlyMap<string, string>,
): Promise<{ report: Report; failed: boolean } | undefined> {
  const request = command.fix;
  if (request === undefined) return undefined;
  const outcomes = await fixFiles({ cwd: io.cwd, findings: report.findings, rules: new Set(request.rules), checked, dryRun: request.dryRun });
  for (const outcome of outcomes) if (outcome.kind === 'fixed' && outcome.diff !== undefined) io.stdout.write(diffText(outcome.diff, io.stdout));
  for (const line of outcomeLines(outcomes, request.dryRun)) {
    if (!command.quiet || line.isError) say(io.stderr, `waymark: ${line.text}`);
  }
  if (!command.quiet) say(io.stderr, `waymark: ${countLine(outcomes, request.dryRun)}`);
  return { report: withoutFixed(report, outcomes), failed: outcomes.some(isLeftAlone) };
}

function isLeftAlone(outcome: FileOutcome): boolean {
  return outcome.kind === 'left-alone';
}

/** A diff as written: exact when piped (for `git apply`), with control characters made visible on a terminal. */
function diffText(diff: string, stream: RunIo['stdout']): string {
  if (stream.isTTY !== true) return diff;
  return diff.replace(/\r(?!\n)|[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]/gu, (char) => printable(char));
}

/**
 * The still-loading warning for a slow `.mjs` config goes straight to stderr's file descriptor,
 * since a config stuck in a loop blocks the stream; a stream without one (a test's) gets none.
 */
function slowNotice(stderr: RunIo['stderr']): { slowNotice?: { fd: number } } {
  const fd: unknown = (stderr as { fd?: unknown }).fd;
  return typeof fd === 'number' ? { slowNotice: { fd } } : {};
}

/** Words accepted before the paths, as in `waymark check docs/`, unless a file of that name exists. */
const verbs = new Set(['check', 'run']);

function withoutVerb(paths: readonly string[], cwd: string): readonly string[] {
  const [first, ...rest] = paths;
  return [...verbs].some((verb) => isWord(first, verb, cwd)) ? rest : paths;
}

/** Whether `arg` is the command word `word`: it is, unless a file of that name exists (then it is a path). */
function isWord(arg: string | undefined, word: string, cwd: string): boolean {
  return arg === word && !existsSync(path.resolve(cwd, word));
}

/** Colour follows `FORCE_COLOR`, then `NO_COLOR`, then whether stdout is a terminal. */
function useColor(io: RunIo): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  return io.stdout.isTTY === true;
}

function noticeLine(notice: Notice): string {
  const where = notice.line === undefined ? notice.file : `${notice.file}:${notice.line}:${notice.column ?? 1}`;
  return `waymark: ${where}: warning: ${notice.message}`;
}

function offlineNote(report: Report): string | undefined {
  if (!report.offline || report.summary.offline === 0) return undefined;
  const count = `${report.summary.offline} external URL${report.summary.offline === 1 ? '' : 's'}`;
  return report.offlineReason === 'requested'
    ? `${count} not checked (--offline)`
    : `${count} could not be verified because the network is unreachable`;
}

/** Writes one `--output` report through the safe-write rules (see src/io/write.ts). */
async function writeReport(file: string, shown: string, text: string): Promise<void> {
  try {
    await safeWrite(file, text);
  } catch (error) {
    if (error instanceof WriteError) throw new InputError(shown, error.message);
    throw error;
  }
}

/**
 * Writes one line with every control character made visible (`\u001b`), so a file name or a
 * message can neither split the line nor drive the terminal or a CI log.
 */
function say(stream: Writable, line: string): void {
  stream.write(`${printable(line)}\n`);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
