import { readFileSync } from 'node:fs';

interface PackageFacts {
  readonly version: string;
  readonly homepage?: string;
}

function readPackage(): PackageFacts {
  const parsed: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return { version: '0.0.0' };
  const version = 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : '0.0.0';
  const homepage = 'homepage' in parsed && typeof parsed.homepage === 'string' ? parsed.homepage : undefined;
  return homepage === undefined ? { version } : { version, homepage };
}

/** The tool's name, version and home page (from its package.json), as reports and the User-Agent name it. */
export const tool: { readonly name: 'waymark' } & PackageFacts = { name: 'waymark', ...readPackage() };
