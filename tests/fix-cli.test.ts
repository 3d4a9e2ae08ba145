import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, chmod, copyFile, lstat, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPatch } from 'diff';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';

const projects = fileURLToPath(new URL('./fixtures/projects/', import.meta.url));
const fixtures = readdirSync(projects).filter((name) => name.startsWith('fix-')).sort();
const withBom = new TextDecoder('utf-8', { ignoreBOM: true });

let tree: Awaited<ReturnType<typeof tempTree>>;
beforeEach(async () => {
  tree = await tempTree({});
});
afterEach(() => tree.cleanup());

/** The tracking-param findings and link count of `doc.md` as a JSON report gives them. */
async function checkDoc(): Promise<{ tracking: number; links: number }> {
  const result = await runCli(tree.dir, ['--no-config', '--offline', '-f', 'json', 'doc.md']);
  const json = JSON.parse(result.stdout) as { summary: { links: number }; findings: { ruleId: string }[] };
  return { tracking: json.findings.filter((f) => f.ruleId === 'tracking-param').length, links: json.summary.links };
}

describe('--fix on every preservation fixture', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of fixtures) {
    it(`${name}: writes exactly the expected bytes, says what it fixed, and changes nothing the second time`, async () => {
      const doc = path.join(tree.dir, 'doc.md');
      await copyFile(path.join(projects, name, 'input.md'), doc);
      const expected = await readFile(path.join(projects, name, 'expected.md'));
      const before = await checkDoc();
      expect(before.tracking).toBeGreaterThan(0);

      const first = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'doc.md']);
      expect(first.code).toBe(0);
      expect(Buffer.compare(await readFile(doc), expected)).toBe(0);
      const lines = first.stderr.split('\n');
      expect(lines.filter((line) => / fixed tracking-param: `/.test(line)).length).toBeGreaterThan(0);
      expect(lines).toContain(`waymark: fixed ${before.tracking} problem${before.tracking === 1 ? '' : 's'} in 1 file`);
      expect(first.stdout).not.toContain('tracking-param');

      const after = await checkDoc();
      expect(after).toEqual({ tracking: 0, links: before.links });

      const second = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'doc.md']);
      expect(second.code).toBe(0);
      expect(second.stderr).toContain('waymark: nothing to fix\n');
      expect(Buffer.compare(await readFile(doc), expected)).toBe(0);
    });

    it(`${name}: --fix-dry-run prints a diff that turns the input into the expected file, and changes nothing`, async () => {
      const doc = path.join(tree.dir, 'doc.md');
      await copyFile(path.join(projects, name, 'input.md'), doc);
      const input = await readFile(doc);
      const expected = await readFile(path.join(projects, name, 'expected.md'));
      const result = await runCli(tree.dir, ['--no-config', '--offline', '--fix-dry-run', 'doc.md']);
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith('--- a/doc.md\n+++ b/doc.md\n@@ ')).toBe(true);
      expect(applyPatch(withBom.decode(input), result.stdout)).toBe(withBom.decode(expected));
      expect(result.stderr).toMatch(/^waymark: doc\.md:\d+:\d+: would fix tracking-param: `/m);
      expect(Buffer.compare(await readFile(doc), input)).toBe(0);
    });
  }
});

describe('--fix writing', () => {
  const dirty = '# T\n\n[a](https://example.test/a?utm_source=x)\n';
  const clean = '# T\n\n[a](https://example.test/a)\n';

  it('keeps the file mode and leaves no temporary file', async () => {
    const doc = path.join(tree.dir, 'doc.md');
    await writeFile(doc, dirty);
    await chmod(doc, 0o640);
    const result = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'doc.md']);
    expect(result.code).toBe(0);
    expect(await readFile(doc, 'utf8')).toBe(clean);
    expect((await stat(doc)).mode & 0o7777).toBe(0o640);
    expect((await readdir(tree.dir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves a read-only file alone with one line and exit code 2, still reporting its findings', async () => {
    const doc = path.join(tree.dir, 'doc.md');
    await writeFile(doc, dirty);
    await chmod(doc, 0o444);
    const result = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'doc.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('waymark: doc.md: Cannot fix: the file is read-only; left as it is\n');
    expect(result.stderr).toContain('waymark: fixed 0 problems in 0 files (1 file left alone)\n');
    expect(result.stdout).toContain('tracking-param');
    expect(await readFile(doc, 'utf8')).toBe(dirty);
    expect((await stat(doc)).mode & 0o7777).toBe(0o444);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    await writeFile(path.join(tree.dir, 'real.md'), dirty);
    await symlink('real.md', path.join(tree.dir, 'link.md'));
    const result = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'link.md']);
    expect(result.code).toBe(0);
    expect(await readFile(path.join(tree.dir, 'real.md'), 'utf8')).toBe(clean);
    expect((await lstat(path.join(tree.dir, 'link.md'))).isSymbolicLink()).toBe(true);
  });

  it('fixes the findings that are errors, so the exit code counts only what is left', async () => {
    await writeFile(path.join(tree.dir, 'waymark.config.json'), '{ "rules": { "tracking-param": "error" } }\n');
    await writeFile(path.join(tree.dir, 'doc.md'), dirty);
    const fixed = await runCli(tree.dir, ['--offline', '--fix', 'doc.md']);
    expect(fixed.code).toBe(0);
    await writeFile(path.join(tree.dir, 'doc.md'), `${dirty}[gone](missing.md)\n`);
    const remaining = await runCli(tree.dir, ['--offline', '--fix', '-q', 'doc.md']);
    expect(remaining.code).toBe(1);
    expect(remaining.stdout).toBe('doc.md:4:1  error  missing-file  Cannot find file `missing.md`\n');
    expect(await readFile(path.join(tree.dir, 'doc.md'), 'utf8')).toBe(`${clean}[gone](missing.md)\n`);
  });

  it('leaves alone a file that changed on disk while it was being checked', async () => {
    const doc = path.join(tree.dir, 'doc.md');
    // A local server that edits the file when the check requests the link in it.
    const server: Server = createServer((request, response) => {
      void appendFile(doc, 'Edited meanwhile.\n').then(() => response.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const text = `[a](http://127.0.0.1:${port}/page?utm_source=x)\n`;
      await writeFile(doc, text);
      const result = await runCli(tree.dir, ['--no-config', '--allow-private', '--retries', '0', '--fix', 'doc.md']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'waymark: doc.md: Cannot fix: the file changed on disk since it was checked; left as it is (run again)\n',
      );
      const now = await readFile(doc, 'utf8');
      expect(now.startsWith(text)).toBe(true);
      expect(now).toContain('Edited meanwhile.\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('--fix flags', () => {
  it('names a misspelt rule with a suggestion, in one line', async () => {
    const result = await runCli(tree.dir, ['--fix=trackng-param']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'waymark: --fix: expected rules among tracking-param, missing-anchor, toc-mismatch, insecure-link, redirect, got `trackng-param`; did you mean `tracking-param`?\n',
    );
  });

  it('refuses a rule that has no fix', async () => {
    const result = await runCli(tree.dir, ['--fix=tracking-param,dead-link']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^waymark: --fix: expected rules among .*, got `dead-link`/);
  });

  it('cannot be combined with --list-files or rot', async () => {
    expect((await runCli(tree.dir, ['--fix', '--list-files'])).stderr).toBe('waymark: --fix: cannot be combined with --list-files\n');
    const rot = await runCli(tree.dir, ['rot', '--fix-dry-run', '--offline']);
    expect(rot.code).toBe(2);
    expect(rot.stderr).toBe('waymark: --fix-dry-run: cannot be combined with rot\n');
  });

  it('takes the path after a bare --fix as a path', async () => {
    await writeFile(path.join(tree.dir, 'doc.md'), '[a](https://example.test/?fbclid=1)\n');
    await writeFile(path.join(tree.dir, 'other.md'), '[b](https://example.test/?fbclid=2)\n');
    const result = await runCli(tree.dir, ['--no-config', '--offline', '--fix', 'doc.md']);
    expect(result.code).toBe(0);
    expect(await readFile(path.join(tree.dir, 'doc.md'), 'utf8')).toBe('[a](https://example.test/)\n');
    expect(await readFile(path.join(tree.dir, 'other.md'), 'utf8')).toBe('[b](https://example.test/?fbclid=2)\n');
  });
});
