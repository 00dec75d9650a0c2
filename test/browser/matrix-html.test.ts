// SPDX-License-Identifier: GPL-2.0-only
// The matrix's HTML page in a real browser (Debian's headless Chromium, driven
// by playwright-core): a page made from a real `vm --boots 2` run over two
// kernels has every kernel x scenario cell with its verdict and colour, a
// click shows the cell's console lines, and a console line carrying markup
// stays text. The screenshot goes to docs/matrix-heatmap.png when
// TRACEFS_REGRESS_UPDATE_DOCS=1 (so a test run leaves the tree clean), else to a temporary file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderMany } from '../../src/report/index.js';
import { parseSavedReport } from '../../src/report/load.js';
import { matrixVerdicts, cellAt } from '../../src/report/verdicts.js';
import { statusClass } from '../../src/report/html.js';
import type { RunReport } from '../../src/report/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(root, 'test/unit/report/fixtures/vm-matrix-6.12-6.18-boots2.json');
const CHROMIUM = process.env.TRACEFS_REGRESS_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.TRACEFS_REGRESS_REQUIRE_LIVE === '1';
const have = fs.existsSync(CHROMIUM);
if (!have && required)
  throw new Error(
    `${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it), or set TRACEFS_REGRESS_CHROMIUM`,
  );

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-html-'));
let browser: Browser;

async function open(reports: RunReport[], name: string): Promise<{ page: Page; errors: string[] }> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, renderMany('html', reports));
  const page = await browser.newPage({ viewport: { width: 1440, height: 810 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  page.on('request', (r) => (r.url().startsWith('file:') ? undefined : errors.push(`network: ${r.url()}`)));
  await page.goto(`file://${file}`);
  return { page, errors };
}

describe.skipIf(!have)('the matrix HTML page in headless Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const reports = parseSavedReport(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE);

  it('shows every kernel x scenario cell of a real run with its verdict and colour; a click shows its console lines', async () => {
    const { page, errors } = await open(reports, 'matrix.html');
    const v = matrixVerdicts(reports);
    // What the real run found: 6.12.118 clean, 6.18.15 oopsed in one boot of two (the known eventfs_iterate bug).
    expect(v.kernels.map((k) => k.kernel)).toEqual(['6.12.118+deb13-amd64', '6.18.15+deb13-amd64']);
    expect(await page.locator('table.heat tbody tr').count()).toBe(v.kernels.length);
    for (const [ki, k] of v.kernels.entries()) {
      const cells = page.locator(`tr[data-kernel="${k.kernel}"] td.cell`);
      expect(await cells.count()).toBe(v.scenarios.length);
      for (const [si] of v.scenarios.entries()) {
        const c = cellAt(v, ki, si);
        const td = cells.nth(si);
        expect(await td.getAttribute('class')).toContain(statusClass(c.status));
        expect(await td.innerText()).toContain(c.status);
        expect(await td.innerText()).toContain(`${c.caught}/2`);
      }
    }
    const oops = page.locator('tr[data-kernel="6.18.15+deb13-amd64"] td.cell').first();
    expect(await oops.innerText()).toMatch(/XFAIL\s+1\/2/);
    expect(await oops.innerText()).toContain('CVE-2026-74605');
    // A real colour, not only a class name: the XFAIL yellow differs from the PASS green.
    const bg = (l: typeof oops) => l.evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await bg(oops)).not.toBe(await bg(page.locator('tr[data-kernel="6.12.118+deb13-amd64"] td.cell').first()));

    const detail = page.locator('article.detail#c-1-0');
    expect(await detail.isVisible()).toBe(false);
    await oops.locator('a').click();
    expect(await detail.isVisible()).toBe(true);
    const text = await detail.innerText();
    expect(text).toContain('RIP: 0010:eventfs_iterate+0x29c/0x340');
    expect(text).toContain('f0ece16ffca7');
    expect(text).toMatch(/boot 1\s+PASS/);
    expect(text).toMatch(/boot 2\s+XFAIL/);
    expect(await oops.getAttribute('class')).toContain('selected');
    const shot =
      process.env.TRACEFS_REGRESS_UPDATE_DOCS === '1'
        ? path.join(root, 'docs/matrix-heatmap.png')
        : path.join(dir, 'matrix-heatmap.png');
    await page.screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.keyboard.press('Escape');
    expect(await detail.isVisible()).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps a console line that carries markup as text: no script runs, no element is made', async () => {
    const planted = structuredClone(reports);
    const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const last = planted[3]!;
    last.results.find((r) => r.name === 'vm-console')!.evidence[0]!.got = evil;
    last.env.kernel.release = `6.18.15<b onmouseover="window.__pwned=3">`;
    last.matrix!.kernel = last.env.kernel.release;
    const { page, errors } = await open(planted, 'planted.html');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img, b[onmouseover]').count()).toBe(0);
    const k = matrixVerdicts(planted).kernels.findIndex((x) => x.kernel.includes('onmouseover'));
    await page.locator(`a[href="#c-${k}-2"]`).click();
    expect(await page.locator(`#c-${k}-2 pre.console`).innerText()).toContain(evil);
    expect(errors).toEqual([]);
  }, 60_000);
});
