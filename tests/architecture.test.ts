import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as {
  forbidden: unknown[];
  options: Record<string, unknown>;
  layers: string[][];
};

async function violations(files: string[], ruleSet: unknown) {
  const result = await cruise(files, { ...config.options, ruleSet, validate: true, baseDir: root } as never);
  const output = result.output as { summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> } };
  return output.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`);
}

describe('architecture (dependency-cruiser)', () => {
  it('puts every folder and top-level file of src/ in exactly one layer', () => {
    const names = readdirSync(new URL('../src/', import.meta.url)).map((name) => name.replace(/\.ts$/, ''));
    expect(config.layers.flat().sort()).toEqual(names.sort());
  });

  it('finds no import that runs up a layer, no cycle, no rule reading the engine, no CLI in the library', async () => {
    expect(await violations(['src'], { forbidden: config.forbidden })).toEqual([]);
  }, 60_000);

  it('does catch an upward import, so a clean result means something', async () => {
    const ruleSet = { forbidden: [{ name: 'probe', severity: 'error', from: { path: '^src/rules/' }, to: { path: '^src/config/' } }] };
    expect((await violations(['src/rules/index.ts'], ruleSet)).length).toBeGreaterThan(0);
  }, 60_000);
});
