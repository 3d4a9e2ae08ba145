/**
 * Watching a JavaScript config while it loads: a config can run any code, so it may never finish.
 *
 * Two cases are told apart. A top-level await on a promise that nothing can settle leaves Node
 * with nothing to do: it would exit 13 without a word, so the emptied event loop (`beforeExit`)
 * ends the load with a `ConfigError` instead. A config that keeps running (an endless loop, a
 * timer that never stops) cannot be told from a slow one; after `afterMs` a one-line warning says
 * the run is still loading it. That line is written by a watcher thread straight to a file
 * descriptor, so a config stuck in a synchronous loop, which blocks this thread, is reported too.
 */
import { Worker } from 'node:worker_threads';
import { ConfigError } from './errors.js';

/** Where and when to say that a config is still loading. */
export interface SlowLoadNotice {
  /** The file descriptor the warning is written to (2 for stderr). */
  readonly fd: number;
  /** Milliseconds before the warning (default 3000). */
  readonly afterMs?: number;
}

/** The default wait before the still-loading warning. */
export const slowLoadMs = 3_000;

/** Runs in the watcher thread: waits for the load to end or the deadline to pass, then writes the line once. */
const watcherSource = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { state, fd, deadline, line } = workerData;
if (Atomics.wait(state, 0, 0, Math.max(0, deadline - Date.now())) === 'timed-out') {
  try { writeSync(fd, line); } catch {}
}
`;

/**
 * Runs `load` (the import of the config `source` names) and returns what it returns.
 *
 * Rejects with a `ConfigError` when the event loop empties while the load is still pending,
 * which means its top-level await can never settle. With `notice`, writes one warning line to
 * `notice.fd` if the load still runs after `notice.afterMs`.
 */
export async function watchLoad<T>(source: string, load: () => Promise<T>, notice?: SlowLoadNotice): Promise<T> {
  const watcher = notice === undefined ? undefined : startWatcher(source, notice);
  let onEmptyLoop: (() => void) | undefined;
  const stalled = new Promise<never>((_, reject) => {
    onEmptyLoop = () =>
      reject(
        new ConfigError(
          source,
          'Cannot finish loading: a top-level await waits on a promise that nothing is left to settle',
        ),
      );
    process.once('beforeExit', onEmptyLoop);
  });
  try {
    return await Promise.race([load(), stalled]);
  } finally {
    if (onEmptyLoop !== undefined) process.off('beforeExit', onEmptyLoop);
    watcher?.stop();
  }
}

/** Starts the watcher thread; `stop` tells it the load has ended. */
function startWatcher(source: string, notice: SlowLoadNotice): { stop(): void } {
  const afterMs = notice.afterMs ?? slowLoadMs;
  const state = new Int32Array(new SharedArrayBuffer(4));
  const seconds = Math.round(afterMs / 100) / 10;
  const line = `waymark: ${source}: warning: still loading after ${seconds} s; a config that never finishes loading hangs the run (Ctrl-C stops it)\n`;
  try {
    const worker = new Worker(watcherSource, { eval: true, workerData: { state, fd: notice.fd, deadline: Date.now() + afterMs, line } });
    worker.unref();
    // A watcher that fails only costs the warning.
    worker.on('error', () => {});
  } catch {
    // As above: no watcher, no warning.
  }
  return {
    stop() {
      Atomics.store(state, 0, 1);
      Atomics.notify(state, 0);
    },
  };
}
