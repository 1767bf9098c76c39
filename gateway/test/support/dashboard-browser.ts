import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { parse } from 'papaparse';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Drives the universities' dashboard (packages/dashboard) in Debian's headless
// Chromium with playwright-core: what a person sees, read from the page's
// data tables; what they download; what axe-core finds.

/**
 * Without the background-networking flags Chromium keeps calling home (updates,
 * sync, QUIC probes), which on a closed network is a flood of refused connections.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium on the search path (Debian's `chromium` package), or /usr/bin/chromium. */
export function findChromium(): string | undefined {
  const candidates = [
    ...(process.env['PATH'] ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'chromium')),
    '/usr/bin/chromium',
  ];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface DashboardBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium on a fresh profile. Fails, never skips, when
 * Chromium is missing: the dashboard's test is part of `npm test`.
 */
export async function launchDashboardBrowser(): Promise<DashboardBrowser> {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error(
      'Chromium is not installed: the dashboard test drives a real browser. ' +
        'Install it with `apt-get install chromium` (README: Prerequisites; .ci/run installs it).',
    );
  const profile = mkdtempSync(join(tmpdir(), 'conecta-dashboard-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard and waits for its data; fails with the page's own error message. */
export async function openDashboard(
  context: BrowserContext,
  url: string,
): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(url);
  await waitUntilReady(page);
  if (problems.length > 0)
    throw new Error(`the dashboard logged errors: ${problems.join('; ')}`);
  return page;
}

/** Waits until the page has read the graph (body[data-state=ready]). */
export async function waitUntilReady(page: Page): Promise<void> {
  // Playwright's default 30 s: the page is ready in 1.5–4 s on the demo.
  await page.waitForSelector('body:not([data-state="loading"])');
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'ready')
    throw new Error(
      `the dashboard did not load: ${await page.textContent('#status')}`,
    );
}

/** A chart's data table as the page shows it: header cells and rows of cell texts. */
export async function chartTable(
  page: Page,
  chart: string,
): Promise<{ head: string[]; rows: string[][] }> {
  return page.$eval(`section[data-chart="${chart}"] table`, (table) => ({
    head: [...table.querySelectorAll('thead th')].map(
      (th) => th.textContent ?? '',
    ),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    ),
  }));
}

/** Whether the chart has been drawn (an SVG with shapes in its box). */
export async function chartDrawn(page: Page, chart: string): Promise<boolean> {
  return page.$eval(
    `section[data-chart="${chart}"] .chart`,
    (box) => box.querySelectorAll('svg path').length > 0,
  );
}

/** Clicks a view's tab and waits for its charts to be drawn. */
export async function showView(page: Page, view: string): Promise<void> {
  await page.click(`#tab-${view}`);
  await page.waitForSelector(`#view-${view}:not([hidden]) .chart svg`);
}

/** Switches the language with the page's own button. */
export async function switchLanguage(page: Page): Promise<void> {
  await page.click('#language');
}

/** Clicks a chart's CSV button and parses the downloaded file. */
export async function downloadChartCsv(
  page: Page,
  chart: string,
): Promise<{ filename: string; rows: Record<string, string>[] }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`section[data-chart="${chart}"] button.csv`),
  ]);
  const path = await download.path();
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: true,
  });
  if (parsed.errors.length > 0)
    throw new Error(`bad CSV: ${JSON.stringify(parsed.errors)}`);
  return { filename: download.suggestedFilename(), rows: parsed.data };
}

/** axe-core's serious and critical WCAG 2 A/AA violations on the page as shown. */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** Formats in the page's own Intl (Chromium's ICU), for comparing what it shows. */
export function pageFormats(page: Page, locale: string) {
  return {
    integers: (values: number[]) =>
      page.evaluate(
        ([l, vs]) => vs.map((v) => new Intl.NumberFormat(l).format(v)),
        [locale, values] as const,
      ),
    dates: (isoDates: string[]) =>
      page.evaluate(
        ([l, ds]) =>
          ds.map((d) =>
            new Intl.DateTimeFormat(l, {
              dateStyle: 'medium',
              timeZone: 'UTC',
            }).format(new Date(d)),
          ),
        [locale, isoDates] as const,
      ),
    money: (centavos: number[]) =>
      page.evaluate(
        ([l, cs]) =>
          cs.map((c) =>
            new Intl.NumberFormat(l, {
              style: 'currency',
              currency: 'MXN',
            }).format(c / 100),
          ),
        [locale, centavos] as const,
      ),
  };
}

/** Chooses a filter's option (#state, #sector, #from, #to, #granularity) and waits for the new data. */
export async function chooseFilter(
  page: Page,
  filter: string,
  value: string,
): Promise<void> {
  await page.selectOption(`#${filter}`, value);
  await waitUntilReady(page);
}
