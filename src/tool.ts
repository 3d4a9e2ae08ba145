import { readFileSync } from 'node:fs';

interface PackageFacts {
  readonly version: string;
  readonly homepage?: string;
}

/**
 * Waymark's own package.json, named `waymark`: one folder above this module in the compiled tree
 * (dist/tool.js) and in the action's bundle (action/index.mjs), three in the CLI bundle
 * (dist/bundle/chunks/).
 */
function ownPackage(): unknown {
  for (const up of ['../', '../../../']) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8'));
    } catch {
      continue;
    }
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'waymark') return parsed;
  }
  return undefined;
}

function readPackage(): PackageFacts {
  const parsed = ownPackage();
  if (typeof parsed !== 'object' || parsed === null) return { version: '0.0.0' };
  const version = 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : '0.0.0';
  const homepage = 'homepage' in parsed && typeof parsed.homepage === 'string' ? parsed.homepage : undefined;
  return homepage === undefined ? { version } : { version, homepage };
}

/** The tool's name, version and home page (from its package.json), as reports and the User-Agent name it. */
export const tool: { readonly name: 'waymark' } & PackageFacts = { name: 'waymark', ...readPackage() };
