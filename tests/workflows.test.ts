import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// `yaml` is a dev dependency of its own; only these tests use it.
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const names = ['ci.yml', 'links.yml', 'link-rot.yml'] as const;
type Name = (typeof names)[number];
type Mapping = Record<string, unknown>;

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with: Mapping;
  readonly env: Mapping;
  readonly raw: Mapping;
}

interface Workflow {
  readonly text: string;
  readonly raw: Mapping;
  readonly on: Mapping;
  readonly jobs: ReadonlyArray<{ readonly id: string; readonly raw: Mapping; readonly steps: readonly Step[] }>;
}

function mapping(value: unknown, where: string): Mapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a mapping`);
  return value as Mapping;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new Error(`${where}: expected a string`);
}

function toStep(value: unknown, where: string): Step {
  const raw = mapping(value, where);
  const fields = ['name', 'uses', 'run', 'if'] as const;
  const strings = Object.fromEntries(
    fields.flatMap((key) => {
      const text = optionalString(raw[key], `${where}.${key}`);
      return text === undefined ? [] : [[key, text]];
    }),
  );
  return { ...strings, with: mapping(raw.with ?? {}, `${where}.with`), env: mapping(raw.env ?? {}, `${where}.env`), raw };
}

async function load(name: Name): Promise<Workflow> {
  const text = await readFile(path.join(root, '.github/workflows', name), 'utf8');
  const raw = mapping(parse(text), name);
  const jobs = Object.entries(mapping(raw.jobs, `${name}: jobs`)).map(([id, job]) => {
    const jobRaw = mapping(job, `${name}: jobs.${id}`);
    const steps = jobRaw.steps;
    if (!Array.isArray(steps)) throw new Error(`${name}: jobs.${id}.steps: expected a list`);
    return { id, raw: jobRaw, steps: steps.map((step, index) => toStep(step, `${name}: jobs.${id}.steps[${index}]`)) };
  });
  return { text, raw, on: mapping(raw.on, `${name}: on`), jobs };
}

const workflows = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await load(name)] as const))) as Record<
  Name,
  Workflow
>;
const allSteps = (workflow: Workflow): Step[] => workflow.jobs.flatMap((job) => job.steps);
const onlyJob = (name: Name): Workflow['jobs'][number] => {
  const [job, ...rest] = workflows[name].jobs;
  if (job === undefined || rest.length > 0) throw new Error(`${name}: expected exactly one job`);
  return job;
};
const stepNamed = (name: Name, stepName: string): Step => {
  const step = allSteps(workflows[name]).find((candidate) => candidate.name === stepName);
  if (step === undefined) throw new Error(`${name}: no step named ${stepName}`);
  return step;
};
const indexOfStep = (name: Name, predicate: (step: Step) => boolean): number =>
  allSteps(workflows[name]).findIndex(predicate);

const pinnedLine = /^\s*(?:-\s+)?uses:\s+([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/;

describe.each(names)('%s: hardening', (name) => {
  const workflow = workflows[name];

  it('pins every action to a full commit SHA with its version in a comment', () => {
    const lines = workflow.text.split('\n').filter((line) => /^\s*(?:-\s+)?uses:/.test(line));
    expect(lines.length).toBe(allSteps(workflow).filter((step) => step.uses !== undefined).length);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(pinnedLine);
  });

  it('grants nothing at the top level but read access', () => {
    const permissions = workflow.raw.permissions;
    expect(permissions).toBeDefined();
    if (permissions === 'read-all') return;
    expect(Object.values(mapping(permissions, 'permissions')).every((level) => level === 'read' || level === 'none')).toBe(true);
  });

  it('declares permissions and a timeout on every job', () => {
    for (const job of workflow.jobs) {
      expect(job.raw.permissions, job.id).toBeTypeOf('object');
      expect(job.raw['timeout-minutes'], job.id).toBeTypeOf('number');
      expect(job.raw['timeout-minutes'], job.id).toBeGreaterThan(0);
      expect(job.raw['timeout-minutes'], job.id).toBeLessThanOrEqual(30);
    }
  });

  it('cancels superseded runs through a concurrency group', () => {
    const concurrency = mapping(workflow.raw.concurrency, 'concurrency');
    expect(concurrency.group).toMatch(/^\$\{\{ github\.workflow \}\}/);
    expect(concurrency['cancel-in-progress']).toBeDefined();
  });

  it('never expands an expression inside a script and uses no secret but the job token', () => {
    for (const step of allSteps(workflow)) expect(step.run ?? '').not.toContain('${{');
    expect(workflow.text).not.toMatch(/secrets\./);
    expect(Object.keys(workflow.on)).not.toContain('pull_request_target');
    expect(Object.keys(workflow.on)).not.toContain('workflow_run');
  });

  it('checks out without leaving credentials on disk', () => {
    const checkouts = allSteps(workflow).filter((step) => step.uses?.startsWith('actions/checkout@') === true);
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with['persist-credentials']).toBe(false);
  });
});

describe('all workflows', () => {
  it('pin each action repository to one commit and version everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const name of names) {
      for (const line of workflows[name].text.split('\n')) {
        const match = pinnedLine.exec(line);
        if (match === null) continue;
        const [, repository = '', , sha = '', version = ''] = match;
        pins.set(repository, (pins.get(repository) ?? new Set()).add(`${sha} ${version}`));
      }
    }
    expect([...pins.keys()].sort()).toEqual(['actions/cache', 'actions/checkout', 'actions/setup-node', 'actions/upload-artifact', 'github/codeql-action']);
    for (const [repository, versions] of pins) expect(versions.size, repository).toBe(1);
  });

  it('grant write access only where a job needs it', () => {
    const writes = Object.fromEntries(
      names.flatMap((name) =>
        workflows[name].jobs.map((job) => [
          `${name}#${job.id}`,
          Object.entries(mapping(job.raw.permissions, job.id)).filter(([, level]) => level === 'write').map(([scope]) => scope),
        ]),
      ),
    );
    expect(writes).toEqual({ 'ci.yml#test': [], 'links.yml#waymark': ['security-events'], 'link-rot.yml#report': ['issues'] });
  });
});

describe('ci.yml', () => {
  const job = onlyJob('ci.yml');

  it('runs on pushes to main and on pull requests', () => {
    expect(mapping(workflows['ci.yml'].on.push, 'on.push').branches).toEqual(['main']);
    expect(Object.keys(workflows['ci.yml'].on)).toContain('pull_request');
  });

  it('tests the engines floor exactly, then 22 and 24, on ubuntu-latest', async () => {
    const matrix = mapping(mapping(job.raw.strategy, 'strategy').matrix, 'matrix');
    expect(matrix['node-version']).toEqual(['20.19.0', '22', '24']);
    const manifest = mapping(JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')), 'package.json');
    expect(mapping(manifest.engines, 'engines').node).toBe('>=20.19');
    expect(job.raw['runs-on']).toBe('ubuntu-latest');
  });

  it('sets up the matrix Node with the npm cache, then runs .ci/run and npm run check in order', () => {
    const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@') === true);
    expect(setup?.with).toEqual({ 'node-version': '${{ matrix.node-version }}', cache: 'npm' });
    expect(job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]))).toEqual(['bash .ci/run', 'npm run check -- --offline']);
  });
});

describe('links.yml', () => {
  const steps = allSteps(workflows['links.yml']);
  const check = stepNamed('links.yml', 'Check links');
  const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@') === true);

  it('runs on pull requests that touch markdown or the config', () => {
    const paths = mapping(workflows['links.yml'].on.pull_request, 'on.pull_request').paths;
    expect(paths).toEqual(['**/*.md', '**/*.markdown', 'waymark.config.json']);
  });

  it('annotates the diff and writes SARIF and markdown reports, keeping the exit code', () => {
    expect(check.run).toBe(
      'node dist/cli/bin.js --cache --max-cache-age 8d --format github --output sarif:waymark.sarif --output markdown:waymark.md',
    );
    expect(check.raw['continue-on-error']).toBeUndefined();
    const summary = stepNamed('links.yml', 'Add the report to the job summary');
    expect(summary.run).toBe('cat waymark.md >> "$GITHUB_STEP_SUMMARY"');
    expect(summary.if).toMatch(/^\$\{\{ !cancelled\(\) && steps\.waymark\.outcome != 'skipped'/);
  });

  it('uploads the SARIF after the check even when it fails, except from forks', () => {
    expect(upload?.with).toEqual({ sarif_file: 'waymark.sarif', category: 'waymark' });
    expect(upload?.if).toMatch(/^\$\{\{ !cancelled\(\) && steps\.waymark\.outcome != 'skipped'/);
    expect(upload?.if).toContain("hashFiles('waymark.sarif') != ''");
    expect(upload?.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    const order = (predicate: (step: Step) => boolean): number => indexOfStep('links.yml', predicate);
    expect(order((step) => step === check)).toBeLessThan(order((step) => step === upload));
  });
});

describe('link-rot.yml', () => {
  const schedule = workflows['link-rot.yml'].on.schedule;
  const check = stepNamed('link-rot.yml', 'Check links');
  const issue = stepNamed('link-rot.yml', 'Open, update or close the link rot issue');
  let dir = '';
  afterEach(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  it('runs weekly and on demand', () => {
    expect(schedule).toEqual([{ cron: '0 6 * * 1' }]);
    expect(Object.keys(workflows['link-rot.yml'].on)).toContain('workflow_dispatch');
  });

  it('checks every link with a markdown report and a JSON copy, and uses gh with the job token', () => {
    expect(check.run).toContain(
      'node dist/cli/bin.js --cache --max-cache-age 8d --format markdown --output json:waymark.json > waymark.md',
    );
    expect(issue.env).toMatchObject({ GH_TOKEN: '${{ github.token }}', EXIT_CODE: '${{ steps.waymark.outputs.exit-code }}' });
    expect(issue.run).toMatch(/gh issue (create|edit|close)/);
  });

  /** Runs a step's script the way the runner does, in a scratch directory with a stand-in `gh`. */
  async function runStep(step: Step, env: Record<string, string>, files: Record<string, string> = {}): Promise<{ code: number; calls: string[][] }> {
    dir = await mkdtemp(path.join(tmpdir(), 'waymark-workflow-'));
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    const gh = path.join(dir, 'bin/gh');
    await mkdir(path.dirname(gh));
    // The stand-in logs its arguments (unit-separated) and answers `issue list` from GH_ISSUES via jq.
    await writeFile(gh, `#!/usr/bin/env bash
printf '%s\\037' "$@" >> "$GH_LOG"; printf '\\n' >> "$GH_LOG"
if [ "$1 $2" = "issue list" ]; then
  while [ $# -gt 0 ]; do if [ "$1" = --jq ]; then filter=$2; fi; shift; done
  jq -r "$filter" <<< "$GH_ISSUES"
fi
`);
    await chmod(gh, 0o755);
    const script = path.join(dir, 'step.sh');
    await writeFile(script, step.run ?? '');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: dir,
        stdio: 'ignore',
        env: {
          PATH: `${path.dirname(gh)}${path.delimiter}${process.env.PATH ?? ''}`,
          GH_LOG: path.join(dir, 'gh.log'),
          GITHUB_OUTPUT: path.join(dir, 'output'),
          GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
          GITHUB_SERVER_URL: 'https://github.test',
          GITHUB_REPOSITORY: 'owner/repo',
          GITHUB_RUN_ID: '42',
          ...env,
        },
      });
      child.on('error', reject);
      child.on('close', (status) => resolve(status ?? -1));
    });
    const log = await readFile(path.join(dir, 'gh.log'), 'utf8').catch(() => '');
    const calls = log.split('\n').filter((line) => line !== '').map((line) => line.split('\u001f').slice(0, -1));
    return { code, calls };
  }

  const fakeBin = (code: number): Record<string, string> => ({
    'dist/cli/bin.js': `require('node:fs').writeFileSync('waymark.json', '{}');\nprocess.stdout.write('# Report\\n');\nprocess.exitCode = ${code};\n`,
  });

  it.each([0, 1])('records exit code %i from the check and goes on', async (code) => {
    const result = await runStep(check, {}, fakeBin(code));
    expect(result.code).toBe(0);
    expect(await readFile(path.join(dir, 'output'), 'utf8')).toBe(`exit-code=${code}\n`);
    expect(await readFile(path.join(dir, 'summary'), 'utf8')).toBe('# Report\n');
  });

  it('fails the job when the run itself fails (exit code 2)', async () => {
    const result = await runStep(check, {}, fakeBin(2));
    expect(result.code).toBe(2);
    expect(await readFile(path.join(dir, 'summary'), 'utf8').catch(() => 'none')).toBe('none');
  });

  const listCall = ['issue', 'list', '--state', 'open', '--label', 'link-rot', '--limit', '100', '--json', 'number,title', '--jq'];
  const openIssues = JSON.stringify([{ number: 3, title: 'Other' }, { number: 7, title: 'Link rot report' }]);

  it('opens the issue with the report when links are broken and none is open', async () => {
    const result = await runStep(issue, { EXIT_CODE: '1', GH_ISSUES: '[{"number":3,"title":"Other"}]' }, { 'waymark.md': '# Broken\n' });
    expect(result.code).toBe(0);
    expect(result.calls.map((call) => call.slice(0, 2).join(' '))).toEqual(['issue list', 'label create', 'issue create']);
    expect(result.calls[0]?.slice(0, -1)).toEqual(listCall);
    expect(result.calls[2]).toEqual(['issue', 'create', '--title', 'Link rot report', '--label', 'link-rot', '--body-file', 'issue.md']);
    expect(await readFile(path.join(dir, 'issue.md'), 'utf8')).toBe(
      '# Broken\n\n---\nFrom the [scheduled link check](https://github.test/owner/repo/actions/runs/42); the full report is in its summary and artifacts.\n',
    );
  });

  it('updates the open issue instead of opening another', async () => {
    const result = await runStep(issue, { EXIT_CODE: '1', GH_ISSUES: openIssues }, { 'waymark.md': '# Broken\n' });
    expect(result.code).toBe(0);
    expect(result.calls.slice(1).map((call) => call.slice(0, 2).join(' '))).toEqual(['label create', 'issue edit']);
    expect(result.calls[2]).toEqual(['issue', 'edit', '7', '--body-file', 'issue.md']);
  });

  it('cuts a report that would not fit in an issue body at a line boundary', async () => {
    const line = `| ${'x'.repeat(96)} |\n`;
    const result = await runStep(issue, { EXIT_CODE: '1', GH_ISSUES: '[]' }, { 'waymark.md': line.repeat(1000) });
    expect(result.code).toBe(0);
    const body = await readFile(path.join(dir, 'issue.md'), 'utf8');
    // 594 lines of 101 characters are the most that stay within 60,000.
    expect(body.startsWith(`${line.repeat(594)}\n_The report is cut short here._\n\n---\n`)).toBe(true);
    expect(body.length).toBeLessThan(65_536);
  });

  it('closes the open issue with a comment when the run is clean', async () => {
    const result = await runStep(issue, { EXIT_CODE: '0', GH_ISSUES: openIssues });
    expect(result.code).toBe(0);
    expect(result.calls.slice(1)).toEqual([
      ['issue', 'close', '7', '--comment', 'No broken links in the [latest check](https://github.test/owner/repo/actions/runs/42).'],
    ]);
  });

  it('does nothing more than look when the run is clean and no issue is open', async () => {
    const result = await runStep(issue, { EXIT_CODE: '0', GH_ISSUES: '[]' });
    expect(result.code).toBe(0);
    expect(result.calls).toHaveLength(1);
  });
});

describe('the result cache across workflows', () => {
  const day = 86_400;
  /** The `--max-cache-age` a step passes, in seconds. */
  const cacheAge = (step: Step): number => {
    const match = /--max-cache-age (\d+)([smhd])\b/.exec(step.run ?? '');
    if (match === null) throw new Error(`${step.name ?? 'step'}: no --max-cache-age`);
    return Number(match[1]) * { s: 1, m: 60, h: 3_600, d: day }[match[2] as 's' | 'm' | 'h' | 'd'];
  };
  const restoreOf = (name: Name): Step => {
    const step = allSteps(workflows[name]).find((candidate) => candidate.uses?.startsWith('actions/cache/restore@') === true);
    if (step === undefined) throw new Error(`${name}: no cache restore`);
    return step;
  };
  const rotCheck = stepNamed('link-rot.yml', 'Check links');
  const prCheck = stepNamed('links.yml', 'Check links');

  it('keeps successes fresh for the whole gap between two weekly runs', () => {
    expect(workflows['link-rot.yml'].on.schedule).toEqual([{ cron: '0 6 * * 1' }]); // weekly
    expect(rotCheck.run).toContain('--cache ');
    expect(cacheAge(rotCheck)).toBeGreaterThanOrEqual(7 * day);
    expect(cacheAge(rotCheck)).toBeLessThanOrEqual(14 * day);
  });

  it('lets the pull request job restore what the weekly job saved, and never save', () => {
    const weekKey = stepNamed('link-rot.yml', "Name this week's cache").run ?? '';
    const prefix = /key=([\w-]+)\$/.exec(weekKey)?.[1];
    expect(prefix).toBe('waymark-');
    const saved = allSteps(workflows['link-rot.yml']).find((step) => step.uses?.startsWith('actions/cache/save@') === true);
    expect(saved?.with).toEqual({ path: '.waymark/', key: '${{ steps.week.outputs.key }}' });
    const restore = restoreOf('links.yml');
    expect(restore.with.path).toBe(saved?.with.path);
    expect(restore.with['restore-keys']).toBe(prefix);
    // The exact key never names a weekly cache, so the newest weekly one is picked by prefix.
    expect(String(restore.with.key)).not.toMatch(/^waymark-\d/);
    expect(allSteps(workflows['links.yml']).some((step) => /^actions\/cache(\/save)?@/.test(step.uses ?? ''))).toBe(false);
    expect(indexOfStep('links.yml', (step) => step === restore)).toBeLessThan(indexOfStep('links.yml', (step) => step === prCheck));
    expect(prCheck.run).toContain('--cache ');
    expect(cacheAge(prCheck)).toBe(cacheAge(rotCheck));
  });
});
