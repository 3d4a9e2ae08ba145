import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';

/** Debian's Chromium, installed by the test set-up (see the README's Set-up section). */
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.warn(`report-html: skipped, no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);

let site: Server;
let origin = '';
const statuses = new Map([['/ok', 200], ['/gone', 404], ['/flaky', 503], ['/slow', 200], ['/busy', 429]]);
let tree: Awaited<ReturnType<typeof tempTree>>;
let browser: Browser | undefined;

beforeAll(async () => {
  site = createServer((req, res) => {
    const status = statuses.get(new URL(req.url ?? '/', 'http://x').pathname) ?? 404;
    res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
    res.end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  tree = await tempTree({
    'README.md': `# List\n\n- [ok](${origin}/ok)\n- [gone](${origin}/gone)\n- [flaky](${origin}/flaky)\n- [busy](${origin}/busy)\n- [missing](nope.md)\n- [tracked](${origin}/ok?utm_source=x)\n`,
    'docs/guide.md': `# Guide\n\n[top](#nowhere) <script>alert(1)</script> [gone again](${origin}/gone)\n`,
  });
  if (haveChromium) browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await tree.cleanup();
  await new Promise((resolve) => site.close(resolve));
});

const flags = ['--allow-private', '--retries', '0', '--recheck-delay', '10', '--no-config', '-o', 'html:report.html'];

describe.skipIf(!haveChromium)('the HTML report in headless Chromium', () => {
  it('groups findings by file, filters by rule and severity, tables the hosts, draws the rot timeline, and requests nothing', async () => {
    // Two rot runs, so /gone has failed twice (rotten) and the timeline has two columns.
    await runCli(tree.dir, ['rot', ...flags], {}, undefined);
    const result = await runCli(tree.dir, ['rot', ...flags]);
    expect(result.code).toBe(1);
    const file = path.join(tree.dir, 'report.html');
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toMatch(/(?:src|href)="https?:/);

    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);

    const files = await page.locator('section.file h3 code').allTextContents();
    expect(files).toEqual(['README.md', 'docs/guide.md']);
    const all = await page.locator('tr.finding').count();
    expect(all).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#shown').textContent()).toBe(String(all));

    await page.selectOption('#rule', 'dead-link');
    const deadRows = page.locator('tr.finding:not(.hidden)');
    // /gone twice; /flaky's 503 came back on the re-check, which makes it unverifiable, not dead.
    expect(await deadRows.count()).toBe(2);
    expect(new Set(await deadRows.evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: Record<string, string> }).dataset['rule'])))).toEqual(new Set(['dead-link']));
    await page.selectOption('#rule', '');
    await page.selectOption('#severity', 'warning');
    const warnings = await page.locator('tr.finding:not(.hidden)').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: Record<string, string> }).dataset['severity']));
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings)).toEqual(new Set(['warning']));
    await page.selectOption('#rule', 'missing-anchor');
    expect(await page.locator('section.file:not(.hidden) h3 code').allTextContents()).toEqual([]);
    await page.selectOption('#severity', 'error');
    expect(await page.locator('section.file:not(.hidden) h3 code').allTextContents()).toEqual(['docs/guide.md']);
    await page.selectOption('#rule', '');
    await page.selectOption('#severity', '');

    const host = page.locator('tr.host');
    expect(await host.count()).toBe(1);
    const cells = await host.first().locator('td').allTextContents();
    expect(cells[0]).toBe(new URL(origin).host);
    expect(cells[1]).toBe('5');
    expect(Number(cells[2])).toBeGreaterThanOrEqual(5);
    expect(cells[5]).not.toBe('0');
    expect(cells[6]).toContain('failed');

    const rot = page.locator('#timeline tr.rot');
    expect(await rot.locator('td:first-child code').allTextContents()).toContain(`${origin}/gone`);
    expect(await page.locator('#timeline thead th').count()).toBe(3 + 2);
    expect(await rot.first().locator('td.cell.failed').count()).toBe(2);
    expect(await page.locator('tr.finding a').first().getAttribute('href')).toMatch(/^README\.md#L\d+$/);

    await page.screenshot({ path: process.env['WAYMARK_SCREENSHOT'] ?? path.join(tree.dir, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
    await page.close();
  }, 60_000);
});
