// Writes schema.json, the JSON Schema of waymark.config.json, from the valibot schema the
// config is validated with (built into dist/), with each key's description from the README's
// configuration table and its default from the built-in defaults. `--check` only compares and
// exits 1 when schema.json is stale. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { toJsonSchema } from '@valibot/to-json-schema';
import { writeOrCheck } from './generated.mjs';
import { defaultConfig } from '../dist/config/defaults.js';
import { configSchema } from '../dist/config/validate.js';

const root = new URL('../', import.meta.url);
const target = new URL('schema.json', root);

/** `key` → meaning, from the rows of the README's configuration table. */
function descriptions() {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const table = /\| Key \| Type \| Default \| Meaning \|\n\| -+ .*\n((?:\|.*\n)+)/.exec(readme)?.[1] ?? '';
  const found = new Map();
  for (const row of table.trimEnd().split('\n')) {
    const cells = row.split(' | ');
    const key = /`([^`]+)`/.exec(cells[0] ?? '')?.[1];
    const meaning = cells.at(-1)?.replace(/ \|$/, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
    if (key !== undefined && meaning !== undefined) found.set(key, meaning);
  }
  return found;
}

export function buildSchema() {
  const schema = toJsonSchema(configSchema, { errorMode: 'ignore' });
  const meanings = descriptions();
  const properties = {};
  for (const [key, value] of Object.entries(schema.properties)) {
    const description = key === '$schema' ? 'The JSON Schema this file follows, for editors' : meanings.get(key);
    if (description === undefined) throw new Error(`README.md's configuration table has no row for \`${key}\``);
    properties[key] = { description, ...value, ...(key in defaultConfig ? { default: defaultConfig[key] } : {}) };
  }
  const { $schema, required: _required, ...rest } = schema;
  return {
    $schema,
    title: 'Waymark configuration (waymark.config.json)',
    description: 'Settings for Waymark, the markdown link checker; flags on the command line win over them.',
    ...rest,
    properties,
  };
}

writeOrCheck(target, `${JSON.stringify(buildSchema(), null, 2)}\n`, 'npm run schema');
