import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';

const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

describe('control characters in names and messages', () => {
  it('never reach the terminal raw: notices, findings, --list-files and annotations show them escaped', async () => {
    // A crafted name that would set the terminal title and clear the screen if printed raw.
    const name = 'evil\u001b]0;pwned\u0007\u001b[2J.md';
    const tree = await tempTree({ [name]: 'binary\u0000here\n', 'ok.md': '[x](<missing\u001b[31m.md>)\n' });
    try {
      const text = await runCli(tree.dir, ['--offline', '--no-config', '.']);
      expect(text.stderr).toContain('waymark: evil\\u001b]0;pwned\\u0007\\u001b[2J.md:1:7: warning: Unexpected NUL byte');
      expect(text.stdout).toContain('\\u001b[31m');
      const listed = await runCli(tree.dir, ['--offline', '--no-config', '--list-files', '.']);
      expect(listed.stdout).toContain('evil\\u001b]0;pwned\\u0007\\u001b[2J.md\n');
      const github = await runCli(tree.dir, ['--offline', '--no-config', '-f', 'github', '.']);
      for (const output of [text, listed, github]) {
        expect(output.stdout).not.toMatch(controls);
        expect(output.stderr).not.toMatch(controls);
      }
    } finally {
      await tree.cleanup();
    }
  });
});
