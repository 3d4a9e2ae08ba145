import { readFileSync } from 'node:fs';

function readVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  return '0.0.0';
}

/** The tool's name and version (from its package.json), as reports and the User-Agent name it. */
export const tool = { name: 'waymark', version: readVersion() } as const;
