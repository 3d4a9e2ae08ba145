import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { extractDocument } from '../src/extract/document.js';
import { startServer, type TestServer } from './helpers/server.js';
import { tempTree } from './helpers/cli.js';

/** `line ruleId message` for each finding, in order. */
async function findings(
  files: Record<string, string>,
  config = { ...defaultConfig, offline: true },
  io: CheckOptions['io'] = {},
): Promise<string[]> {
  const tree = await tempTree(files);
  try {
    const report = await check({ cwd: tree.dir, paths: ['README.md'], config, io });
    return report.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`);
  } finally {
    await tree.cleanup();
  }
}

describe('definitions GitHub never renders', () => {
  it('checks only the first definition of a used label and reports the rest as unused-definition', async () => {
    const readme = [
      'Read the [guide] first.',
      '',
      '[guide]: ./guide.md',
      '[Guide]: ./guide.md#install',
      '[spare]: #nowhere',
      '',
    ].join('\n');
    expect(await findings({ 'README.md': readme, 'guide.md': '# Guide\n' })).toEqual([
      '4:1 unused-definition Unexpected duplicate definition `[Guide]`: GitHub uses the one on line 3',
      '5:1 unused-definition Unexpected unused definition `[spare]`: no link uses it',
    ]);
  });

  it('takes unused and shadowed definitions out of the links and points each reference at its definition', () => {
    const document = extractDocument('x.md', '[a] [A][]\n\n[a]: one.md\n[A]: two.md\n[b]: three.md\n');
    expect(document.links.map((link) => `${link.syntax} ${link.url} ${link.definition?.start.line ?? '-'}`)).toEqual([
      'shortcut one.md 3',
      'collapsed one.md 3',
      'definition one.md -',
    ]);
    expect(document.unusedDefinitions.map((d) => `${d.label} ${d.range.start.line} ${d.shadowedBy?.start.line ?? '-'}`)).toEqual([
      'A 4 3',
      'b 5 -',
    ]);
  });

  describe('over the network', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(() => server.close());

    it('never fetches a definition nobody can follow', async () => {
      const readme = [
        `Read [the docs].`,
        '',
        `[the docs]: ${server.url('/used')}`,
        `[The Docs]: ${server.url('/shadowed')}`,
        `[spare]: ${server.url('/unused')}`,
        '',
      ].join('\n');
      server.page('/used', '<p>here</p>');
      const config = { ...defaultConfig, allowPrivate: true, timeout: 2_000, retries: 0 };
      // 127.0.0.1 proves nothing about the network, so the test says it is public.
      const result = await findings({ 'README.md': readme }, config, { net: { isPrivate: () => false } });
      expect(result.map((line) => line.split(' ')[1])).toEqual(['unused-definition', 'unused-definition']);
      expect(server.count('/used')).toBeGreaterThan(0);
      expect(server.count('/shadowed')).toBe(0);
      expect(server.count('/unused')).toBe(0);
    });
  });
});

describe('a reference link is reported where it is used', () => {
  it('reports a broken definition at every use, naming the definition line', async () => {
    const readme = ['See [setup] and later [the setup][setup].', '', '[setup]: ./missing.md', ''].join('\n');
    expect(await findings({ 'README.md': readme })).toEqual([
      '1:5 missing-file Cannot find file `missing.md` (defined on line 3)',
      '1:23 missing-file Cannot find file `missing.md` (defined on line 3)',
    ]);
  });

  it('suppresses a use with a directive above it, and all uses with one above the definition', async () => {
    const readme = [
      '<!-- waymark-disable-next-line missing-file -->',
      'See [setup].',
      '',
      'And [setup] again, and [other].',
      '',
      '[setup]: ./missing.md',
      '<!-- waymark-disable-next-line missing-file -->',
      '[other]: ./gone.md',
      '',
    ].join('\n');
    expect(await findings({ 'README.md': readme })).toEqual(['4:5 missing-file Cannot find file `missing.md` (defined on line 6)']);
  });
});

describe('links to the top of the page', () => {
  it('accepts `#` in markdown and HTML, and reports only truly empty destinations', async () => {
    const readme = ['[top](#) <a href="#">Back to top</a>', '', '[none]() <a href="">e</a>', ''].join('\n');
    expect(await findings({ 'README.md': readme })).toEqual([
      '3:1 empty-link Unexpected empty link destination',
      '3:10 empty-link Unexpected empty link destination',
    ]);
  });
});
