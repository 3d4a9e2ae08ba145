/**
 * The process the action's step runs (bundled into `action/index.mjs`): the workspace is the
 * working directory, and the exit code is the step's.
 */
import { runAction } from './main.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stdout.write(`::error title=waymark::Waymark needs Node 20.19 or later on the runner, found ${process.version}; add actions/setup-node before it\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await runAction({
    env: process.env,
    cwd: process.env['GITHUB_WORKSPACE'] || process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
