import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { validateConfig } from '../src/config/validate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = JSON.parse(readFileSync(new URL('../schema.json', import.meta.url), 'utf8')) as {
  properties: Record<string, { description?: string; default?: unknown; type?: string }>;
  additionalProperties: boolean;
};

describe('schema.json', () => {
  it('is what scripts/schema.mjs generates from the valibot schema and the README', () => {
    // Throws (exit 1) when the committed schema is stale.
    expect(() => execFileSync(process.execPath, ['scripts/schema.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('describes every key, gives the defaults, and refuses unknown keys as the validator does', () => {
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description, key).toMatch(/\S/);
      if (key in defaultConfig) expect(property.default, key).toEqual(defaultConfig[key as keyof typeof defaultConfig]);
    }
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(
      [...Object.keys(defaultConfig), '$schema', 'repository', 'defaultBranch', 'root', 'proxy', 'budget'].sort(),
    );
    expect(() => validateConfig({ nope: 1 }, 'x.json')).toThrow(/unknown option/);
  });

  it('accepts this repository’s own config', () => {
    const own = JSON.parse(readFileSync(new URL('../waymark.config.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(own)) expect(schema.properties, key).toHaveProperty([key]);
    expect(() => validateConfig(own, 'waymark.config.json')).not.toThrow();
  });
});
