/**
 * The command line as a library (`waymark/cli`): `run` takes argv, streams and a working
 * directory and returns the exit code, exactly as the `waymark` command does.
 */
export { ExitCode, run } from './run.js';
export type { RunIo } from './run.js';
