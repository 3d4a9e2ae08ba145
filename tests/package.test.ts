import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let project: string;
let tarball: string;

/** Runs a command in the consumer project; never throws, so failures show their output. */
async function inProject(command: string, args: readonly string[]) {
  try {
    const { stdout, stderr } = await exec(command, [...args], { cwd: project, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'waymark-pack-'));
  // `npm test` has built dist/ already; --ignore-scripts keeps `prepare` from rebuilding it under other tests.
  await exec(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: repo });
  const [file] = (await readdir(dir)).filter((name) => name.endsWith('.tgz'));
  tarball = path.join(dir, file ?? 'missing.tgz');
  project = path.join(dir, 'consumer');
  await mkdir(path.join(project, 'docs'), { recursive: true });
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
  await writeFile(path.join(project, 'docs', 'index.md'), '# Docs\n\n[guide](guide.md) and [top](#docs) and [gone](#nowhere)\n');
  await writeFile(path.join(project, 'docs', 'guide.md'), '# Guide\n');
  await exec(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project });
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the packed package, installed in another project', () => {
  it('ships dist, the schema, the action, the README and the LICENSE, and no sources or tests', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    for (const file of ['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli/bin.js', 'package/dist/bundle/cli/bin.js', 'package/dist/bundle/extract/parse-worker.js', 'package/schema.json', 'package/action.yml', 'package/action/index.mjs', 'package/README.md', 'package/LICENSE']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /^package\/(src|tests|bench|roadmap)\//.test(file))).toEqual([]);
  });

  it('gives a working `npx waymark`: --version, and exit 1 with the findings on a docs folder', async () => {
    const version = await inProject('npx', ['--no-install', 'waymark', '--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const checked = await inProject('npx', ['--no-install', 'waymark', '--offline', 'docs']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('docs/index.md:3:40  error  missing-anchor  Cannot find heading `#nowhere`');
    expect(checked.stdout).toContain('✖ 1 error in 2 files');
  });

  it('runs the bundled `waymark` bin on the parse pool, with the same findings as the library', async () => {
    // More files than the pool's threshold, so the bin starts its workers from the bundle.
    const many = path.join(project, 'many');
    await mkdir(many, { recursive: true });
    for (let i = 0; i < 40; i += 1) {
      await writeFile(path.join(many, `page-${i}.md`), `# Page ${i}\n\n[next](page-${i + 1}.md) [self](#page-${i}) [typo](#pgae-${i})\n`);
    }
    const bin = await inProject('npx', ['--no-install', 'waymark', '--offline', '--format', 'json', 'many']);
    expect(bin.stderr).not.toContain('internal error');
    const findings = (JSON.parse(bin.stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId);
    await writeFile(
      path.join(project, 'many.mjs'),
      "import { check } from 'waymark';\nconst r = await check({ paths: ['many'], config: { offline: true } });\nconsole.log(JSON.stringify(r.findings.map((f) => f.ruleId)));\n",
    );
    const library = await inProject(process.execPath, ['many.mjs']);
    expect(findings).toEqual(JSON.parse(library.stdout));
    // 40 misspelled fragments and the one link past the last page.
    expect(findings.filter((rule) => rule === 'missing-anchor')).toHaveLength(40);
    expect(findings.filter((rule) => rule === 'missing-file')).toHaveLength(1);
  });

  it('loads as ESM, as CommonJS (require of ESM) and as `waymark/cli`', async () => {
    await writeFile(
      path.join(project, 'esm.mjs'),
      "import { check } from 'waymark';\nconst r = await check({ paths: ['docs'], config: { offline: true } });\nconsole.log(r.findings.map((f) => f.ruleId).join());\n",
    );
    expect(await inProject(process.execPath, ['esm.mjs'])).toMatchObject({ code: 0, stdout: 'missing-anchor\n' });
    await writeFile(
      path.join(project, 'cjs.cjs'),
      "const waymark = require('waymark');\nconst cli = require('waymark/cli');\nconsole.log(typeof waymark.check, typeof cli.run, waymark.rules.length > 0);\n",
    );
    const cjs = await inProject(process.execPath, ['cjs.cjs']);
    expect(cjs).toMatchObject({ code: 0, stdout: 'function function true\n' });
  });

  it('type-checks a TypeScript file that uses the types', async () => {
    await writeFile(
      path.join(project, 'use.ts'),
      [
        "import { check, type Report, type Finding } from 'waymark';",
        "import { run, ExitCode } from 'waymark/cli';",
        'export async function errors(): Promise<readonly Finding[]> {',
        "  const report: Report = await check({ paths: ['docs'], config: { offline: true } });",
        "  return report.findings.filter((finding) => finding.severity === 'error');",
        '}',
        'export const ok: number = ExitCode.Ok;',
        'export const cli: typeof run = run;',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          typeRoots: [path.join(repo, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = await inProject(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(tsc).toMatchObject({ code: 0, stdout: '' });
  });
});
