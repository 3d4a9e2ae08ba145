import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';

describe('inline control comments naming an unknown rule', () => {
  it('warn with file:line:column and the closest real id, and silence nothing', async () => {
    const tree = await tempTree({
      'a.md': '<!-- waymark-disable-next-line missng-file -->\n[a](nope.md)\n\n<!-- waymark-disable missing-anchor, zzzzzz -->\n',
    });
    try {
      const result = await runCli(tree.dir, ['--offline', '--no-config', 'a.md']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('a.md:2:1  error  missing-file  Cannot find file `nope.md`');
      expect(result.stderr.split('\n').filter((line) => line.includes('Unknown rule'))).toEqual([
        'waymark: a.md:1:1: warning: Unknown rule `missng-file` in `waymark-disable-next-line`: it silences nothing; did you mean `missing-file`?',
        'waymark: a.md:4:1: warning: Unknown rule `zzzzzz` in `waymark-disable`: it silences nothing',
      ]);
    } finally {
      await tree.cleanup();
    }
  });

  it('says nothing for comments that name real rules or none', async () => {
    const tree = await tempTree({ 'a.md': '<!-- waymark-disable-next-line -->\n[a](nope.md)\n<!-- waymark-disable-line missing-file --> [b](x.md)\n' });
    try {
      const result = await runCli(tree.dir, ['--offline', '--no-config', 'a.md']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await tree.cleanup();
    }
  });
});
