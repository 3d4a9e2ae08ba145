import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/cli/args.js';
import { loadConfig } from '../src/config/load.js';
import { runCli, tempTree } from './helpers/cli.js';

/** Node clamps a timer longer than this to 1 ms, so a longer timeout would fail every request. */
const max = 2_147_483_647;
const limit = `a positive integer of at most ${max} (the longest timer Node keeps, about 24.8 days)`;

const keys = [
  ['connectTimeout', '--connect-timeout'],
  ['headersTimeout', '--headers-timeout'],
  ['timeout', '--timeout'],
] as const;

describe('timeouts longer than Node can wait', () => {
  it.each(keys)('config `%s` of 2^31 is a one-line error; 2^31 - 1 loads', async (key) => {
    const tree = await tempTree({ 'waymark.config.json': JSON.stringify({ [key]: max + 1 }), 'doc.md': '# Doc\n' });
    try {
      const result = await runCli(tree.dir, ['--offline', 'doc.md']);
      expect(result).toEqual({ code: 2, stdout: '', stderr: `waymark: waymark.config.json: ${key}: expected ${limit}, got ${max + 1}\n` });

      const fine = await tempTree({ 'waymark.config.json': JSON.stringify({ [key]: max }) });
      try {
        expect((await loadConfig({ cwd: fine.dir })).config[key]).toBe(max);
      } finally {
        await fine.cleanup();
      }
    } finally {
      await tree.cleanup();
    }
  });

  it.each(keys)('flag for `%s` (%s) of 2^31 is a one-line error; 2^31 - 1 is taken', async (key, flag) => {
    const tree = await tempTree({ 'doc.md': '# Doc\n' });
    try {
      expect(await runCli(tree.dir, ['--offline', flag, String(max + 1), 'doc.md'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `waymark: ${flag}: expected ${limit}, got \`${max + 1}\`\n`,
      });
      expect((await runCli(tree.dir, ['--offline', flag, String(max), 'doc.md'])).code).toBe(0);
    } finally {
      await tree.cleanup();
    }
    const command = parseCommand([flag, String(max)]);
    expect(command.kind === 'check' ? command.flags[key] : undefined).toBe(max);
  });

  it('leaves counts without a timer unbounded by it', () => {
    const command = parseCommand(['--concurrency', String(max + 1), '--retries', String(max + 1)]);
    expect(command.kind === 'check' ? [command.flags.concurrency, command.flags.retries] : []).toEqual([max + 1, max + 1]);
  });
});
