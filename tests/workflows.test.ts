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
    // `uses: ./` is this repository's own action, at the commit being checked.
    const lines = workflow.text.split('\n').filter((line) => /^\s*(?:-\s+)?uses:/.test(line) && !/uses:\s+\.\/$/.test(line));
    expect(lines.length).toBe(allSteps(workflow).filter((step) => step.uses !== undefined && step.uses !== './').length);
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
    expect([...pins.keys()].sort()).toEqual(['actions/checkout', 'actions/setup-node', 'github/codeql-action']);
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

  it('runs on pull requests that touch markdown, the config or the action', () => {
    const paths = mapping(workflows['links.yml'].on.pull_request, 'on.pull_request').paths;
    expect(paths).toEqual(['**/*.md', '**/*.markdown', 'waymark.config.json', 'action.yml', 'action/**']);
  });

  it('uses the action in this repository, as adopters do, with the history PR mode needs', () => {
    expect(check.uses).toBe('./');
    expect(check.with).toEqual({ sarif: 'waymark.sarif' });
    expect(check.raw['continue-on-error']).toBeUndefined();
    const checkout = steps.find((step) => step.uses?.startsWith('actions/checkout@') === true);
    expect(checkout?.with['fetch-depth']).toBe(0);
    expect(steps.some((step) => /npm (ci|install)/.test(step.run ?? ''))).toBe(false);
  });

  it('uploads the SARIF of full checks only (pushes to main), even when links are broken', () => {
    expect(upload?.with).toEqual({ sarif_file: 'waymark.sarif', category: 'waymark' });
    expect(upload?.if).toMatch(/^\$\{\{ !cancelled\(\) && github\.event_name == 'push'/);
    expect(upload?.if).toContain("hashFiles('waymark.sarif') != ''");
    const order = (predicate: (step: Step) => boolean): number => indexOfStep('links.yml', predicate);
    expect(order((step) => step === check)).toBeLessThan(order((step) => step === upload));
  });
});

describe('link-rot.yml', () => {
  const report = stepNamed('link-rot.yml', 'Report link rot');

  it('runs weekly and on demand, through the action in rot mode, never failing on rot itself', () => {
    expect(workflows['link-rot.yml'].on.schedule).toEqual([{ cron: '0 6 * * 1' }]);
    expect(Object.keys(workflows['link-rot.yml'].on)).toContain('workflow_dispatch');
    expect(report.uses).toBe('./');
    expect(report.with).toEqual({ mode: 'rot', 'fail-on': 'never' });
    expect(allSteps(workflows['link-rot.yml']).some((step) => /\bgh\b|npm (ci|install)/.test(step.run ?? ''))).toBe(false);
  });

  it('lets the action upload the HTML report (with the timeline) as an artifact, even after a failure', async () => {
    const action = mapping(parse(await readFile(path.join(root, 'action.yml'), 'utf8')), 'action.yml');
    const steps = (mapping(action.runs, 'runs').steps as unknown[]).map((step, i) => toStep(step, `action.yml: steps[${i}]`));
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@') === true);
    expect(upload?.if).toMatch(/^\$\{\{ always\(\) && inputs\.mode == 'rot'/);
    expect(upload?.with['path']).toBe('${{ steps.waymark.outputs.html }}');
  });
});

describe('the result cache and the ledger across runs', async () => {
  const day = 86_400;
  const action = mapping(parse(await readFile(path.join(root, 'action.yml'), 'utf8')), 'action.yml');
  const actionSteps = (mapping(action.runs, 'runs').steps as unknown[]).map((step, i) => toStep(step, `action.yml: steps[${i}]`));
  const restore = actionSteps.find((step) => step.uses?.startsWith('actions/cache/restore@') === true);
  const save = actionSteps.find((step) => step.uses?.startsWith('actions/cache/save@') === true);

  it('restores the newest cache (the weekly run\'s included) and saves .waymark/ even when links are broken, never from a pull request', () => {
    expect(restore?.with.path).toBe('.waymark/');
    expect(save?.with.path).toBe('.waymark/');
    expect(restore?.with['restore-keys']).toBe('waymark-');
    // The exact key is new each run, so restore-keys picks the newest `waymark-` cache.
    expect(String(restore?.with.key)).toContain('${{ github.run_id }}');
    expect(save?.with.key).toBe(restore?.with.key);
    expect(save?.if).toMatch(/^\$\{\{ always\(\)/);
    expect(save?.if).toContain("github.event_name != 'pull_request'");
    expect(save?.if).toContain("hashFiles('.waymark/**') != ''");
  });

  it('keeps successes fresh for the whole gap between two weekly runs', async () => {
    const { commandLine } = await import('../src/action/main.js');
    const { argv } = await commandLine({ env: { INPUT_MODE: 'rot' }, cwd: root, stdout: process.stdout, stderr: process.stderr }, tmpdir());
    expect(argv.slice(0, 2)).toEqual(['rot', '--github-issue']);
    const age = /^(\d+)d$/.exec(argv[argv.indexOf('--max-cache-age') + 1] ?? '')?.[1];
    expect(Number(age) * day).toBeGreaterThanOrEqual(7 * day);
    expect(Number(age) * day).toBeLessThanOrEqual(14 * day);
  });
});
