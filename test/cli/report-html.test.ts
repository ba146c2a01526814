// report.html in a real browser (Debian's chromium, driven by playwright-core): the page loads from
// a file:// URL with no console error and no request at all beyond the file itself, the plots are
// drawn with one dot per case run, the tolerance line is there, the filter hides rows, values are
// escaped, and log links are relative. Screenshots go to test-artifacts/ (gitignored).
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEATS, writeRun } from './report-fixtures.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const ARTIFACTS = join(REPO, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
// These flags keep Chromium from reaching for the network on its own (this machine has none).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const work = mkdtempSync(join(tmpdir(), 'daxlab-html-'));
let ctx: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh (apt package chromium)`);
  writeRun(join(work, 'runs', 'stock'), 'stock', '2026-12-01T02:00:00.000Z', 1);
  writeRun(join(work, 'runs', 'seed'), 'seed', '2026-12-02T02:00:00.000Z', 2);
  mkdirSync(ARTIFACTS, { recursive: true });
  ctx = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 },
  });
});
afterAll(async () => {
  await ctx?.close();
  rmSync(work, { recursive: true, force: true });
});

// Open a page, recording console errors, page errors, failed requests and every request made.
async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await ctx.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

describe('report.html in Chromium', () => {
  it('two kernels: plots side by side, filter, escaping, relative links, history plot', async () => {
    const html = join(work, 'both.html');
    const r = await execa('node', [CLI, 'report', join(work, 'runs', 'stock'), join(work, 'runs', 'seed'), '--html', html], { reject: false });
    expect(r.exitCode, r.stderr).toBe(1); // the seed run failed
    const { page, problems, requests } = await open(html);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(html).href]);

    // One dot per pin-race case run: 8 cases x 3 repeats per kernel; the seed's index=5 runs fail below the line.
    const plot = page.locator('svg[data-plot="pin-race"]');
    expect(await plot.locator('g[data-group="stock"] circle.pt').count()).toBe(8 * REPEATS);
    expect(await plot.locator('g[data-group="seed"] circle.pt').count()).toBe(8 * REPEATS);
    expect(await plot.locator('g[data-group="seed"] circle.pt.s-fail').count()).toBe(4 * REPEATS);
    expect(await plot.locator('g.tolerance line').count()).toBe(1);
    const toleranceY = Number(await plot.locator('g.tolerance line').getAttribute('y1'));
    const failY = await plot.locator('circle.s-fail').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
    expect(failY.every((y) => y > toleranceY)).toBe(true); // SVG y grows downwards: below the line
    expect(await plot.locator('g[data-group="seed"] text.group-n').textContent()).toBe(`n = ${8 * REPEATS}, ${4 * REPEATS} below the tolerance`);
    // History: 8 cases, each a line through its median in both runs.
    const history = page.locator('svg[data-plot="history-pin-race"]');
    expect(await history.locator('g.series').count()).toBe(8);
    expect(await history.locator('g.series circle.pt').count()).toBe(16);

    // The filter: words must all match; the status select narrows further.
    const total = 2 * (8 * REPEATS + 3);
    const visible = () => page.locator('#cases tbody tr.case:visible').count();
    expect(await visible()).toBe(total);
    await page.fill('#filter', 'index=5 truncate');
    expect(await visible()).toBe(2 * 2 * REPEATS);
    await page.selectOption('#status-filter', 'fail');
    expect(await visible()).toBe(2 * REPEATS);
    expect(await page.locator('#shown').textContent()).toBe(`${2 * REPEATS} of ${total} shown`);
    await page.fill('#filter', '');
    await page.selectOption('#status-filter', 'flaky');
    expect(await visible()).toBe(2);
    await page.selectOption('#status-filter', '');

    // Values are text, never markup: only the page's own script exists.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('#cases').textContent()).toContain('<script>alert(1)</script> & "quoted"');
    // Kernel-log excerpt and attempts behind <details>; logs linked relative to the page.
    expect(await page.locator('details.klog pre').first().textContent()).toContain('WARNING: CPU: 1 PID: 215 at fs/dax.c:397');
    expect(await page.locator('a[href="runs/stock/serial.log"]').count()).toBeGreaterThan(0);
    expect(await page.locator('a[href="runs/seed/build/build.log"]').count()).toBeGreaterThan(0);
    expect(await page.locator('a[href="runs/stock/serial.2.log"]').count()).toBeGreaterThan(0); // the lost guest's boot

    await page.screenshot({ path: join(ARTIFACTS, 'report-two-kernels.png'), fullPage: true });
    await plot.screenshot({ path: join(ARTIFACTS, 'report-plots.png') });
    await history.screenshot({ path: join(ARTIFACTS, 'report-history.png') });
    await page.close();
  });

  it('the report.html written with results.json: one kernel, logs next to it', async () => {
    const out = join(work, 'rebuilt');
    const r = await execa('node', [CLI, 'report', join(work, 'runs', 'stock'), '--out', out], { reject: false });
    expect(r.exitCode, r.stderr).toBe(69); // the stock fixture has a harness error
    expect(r.stdout).toContain(`report:  ${join(out, 'report.html')}`);
    const { page, problems, requests } = await open(join(out, 'report.html'));
    expect(problems).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(await page.locator('svg[data-plot="pin-race"] circle.pt').count()).toBe(8 * REPEATS);
    expect(await page.locator('svg[data-plot^="history-"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-one-kernel.png'), fullPage: false });
    await page.close();
  });

  it('daxlab history --html: the trend page, filterable by the latest outcome', async () => {
    const html = join(work, 'history.html');
    const r = await execa('node', [CLI, 'history', join(work, 'runs'), '--html', html], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('History of 2 runs:');
    expect(r.stdout).toMatch(/ext4\/pin-race\/index=5,pages=16,pin=pread,race=truncate\s+fail\s+since #2 seed/);
    const { page, problems, requests } = await open(html);
    expect(problems).toEqual([]);
    expect(requests).toHaveLength(1);
    const plot = page.locator('svg[data-plot="history-pin-race"]');
    expect(await plot.locator('g.series').count()).toBe(8);
    expect(await plot.locator('circle.pt').count()).toBe(16);
    await page.selectOption('#status-filter', 'fail');
    expect(await page.locator('#cases tbody tr.case:visible').count()).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, 'history.png'), fullPage: true });
    await page.close();
  });
});
