/**
 * `waymark init`: the files an adopting repository needs, written once — a config file with its
 * JSON Schema and the keys lists change most, and two workflows using the action (the pull
 * request check and a weekly full run). Existing files are never replaced without `--force`.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { codeOf, safeWrite, WriteError } from '../io/write.js';
import { tool } from '../tool.js';

/** What `init` writes, relative to the working directory. */
export interface InitFile {
  readonly path: string;
  readonly text: string;
}

/** `owner/name` of the action, from the package's repository URL. */
function actionRepository(): string {
  const match = /github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?:#.*)?$/.exec(tool.homepage ?? '');
  return match?.[1] ?? 'waymark-dev/waymark';
}

/** The action reference the workflows use: the major version tag of this release. */
function actionRef(): string {
  return `${actionRepository()}@v${tool.version.split('.')[0] ?? '0'}`;
}

/** Where the written config points editors for its schema. */
function schemaUrl(cwd: string): string {
  const local = path.join(cwd, 'node_modules', 'waymark', 'schema.json');
  return existsSync(local)
    ? './node_modules/waymark/schema.json'
    : `https://raw.githubusercontent.com/${actionRepository()}/main/schema.json`;
}

/** The starting config: the keys a curated list changes most, with their usual first values. */
function configText(cwd: string): string {
  const config = {
    $schema: schemaUrl(cwd),
    rules: { redirect: 'warn', 'tracking-param': 'warn', unverifiable: 'warn' },
    exclude: ['CHANGELOG.md'],
    ignoreUrls: ['^https?://localhost', '^https?://127\\.0\\.0\\.1'],
    allowTracking: [],
    hosts: { 'github.com': { concurrency: 2 } },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Pinned like every action in Waymark's own workflows; update both together. */
const checkout = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

/** What differs between the two workflows `init` writes. */
interface WorkflowShape {
  readonly name: string;
  readonly on: string;
  readonly concurrency: string;
  readonly job: string;
  readonly timeout: number;
  readonly checkout: string;
  readonly step: string;
}

/** One workflow: a single job that checks out the repository and runs the action. */
function workflow(shape: WorkflowShape): string {
  return `name: ${shape.name}

on:
${shape.on}
permissions: {}

concurrency:
${shape.concurrency}
jobs:
  links:
    name: ${shape.job}
    runs-on: ubuntu-latest
    timeout-minutes: ${shape.timeout}
    permissions:
      contents: read
    steps:
      - uses: ${checkout}
        with:
          persist-credentials: false
${shape.checkout}${shape.step}`;
}

function pullRequestWorkflow(): string {
  return workflow({
    name: 'Links',
    on: '  pull_request:\n  push:\n    branches: [main]\n',
    concurrency:
      "  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n",
    job: 'Check markdown links',
    timeout: 10,
    checkout: '          # On a pull request Waymark checks only what changed since its base: fetch the history.\n          fetch-depth: 0\n',
    step: `      # Annotates the pull request with the links it broke and writes the full report to the job
      # summary; on main it checks everything.
      - uses: ${actionRef()}
`,
  });
}

function weeklyWorkflow(): string {
  return workflow({
    name: 'Link rot',
    on: "  schedule:\n    # Mondays at 06:00 UTC.\n    - cron: '0 6 * * 1'\n  workflow_dispatch:\n",
    concurrency: '  group: ${{ github.workflow }}\n  cancel-in-progress: true\n',
    job: 'Check every link',
    timeout: 20,
    checkout: '',
    step: `      # Every link, every week: the job summary lists what has rotted since.
      - uses: ${actionRef()}
        with:
          changed-only: false
`,
  });
}

/** The files `init` writes in `cwd`. */
export function initFiles(cwd: string): InitFile[] {
  return [
    { path: 'waymark.config.json', text: configText(cwd) },
    { path: '.github/workflows/links.yml', text: pullRequestWorkflow() },
    { path: '.github/workflows/link-rot.yml', text: weeklyWorkflow() },
  ];
}

/**
 * Runs `waymark init [--force]` in `cwd` and returns the lines to print. Throws an `InputError`
 * (writing nothing at all) when a file exists and `--force` is not given.
 */
export async function runInit(argv: readonly string[], cwd: string): Promise<string[]> {
  let force: boolean;
  try {
    force = parseArgs({ args: [...argv], options: { force: { type: 'boolean' } }, strict: true }).values.force === true;
  } catch (error) {
    throw new InputError('init', `${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}; only --force is accepted`);
  }
  const files = initFiles(cwd);
  const existing = files.filter((file) => existsSync(path.join(cwd, file.path)));
  if (existing.length > 0 && !force) {
    const names = existing.map((file) => file.path).join(', ');
    throw new InputError('init', `${names} already exist${existing.length === 1 ? 's' : ''}; nothing written (use --force to replace)`);
  }
  const lines: string[] = [];
  for (const file of files) {
    const target = path.join(cwd, file.path);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await safeWrite(target, file.text);
    } catch (error) {
      if (error instanceof WriteError) throw new InputError(file.path, error.message);
      throw new InputError(file.path, `Cannot create its directory (${codeOf(error) ?? 'error'})`);
    }
    lines.push(`waymark: wrote ${file.path}`);
  }
  lines.push('waymark: commit these files; the pull request check runs on the next pull request');
  return lines;
}
