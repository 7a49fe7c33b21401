/**
 * The compare view at MLflow's breaking point: 100 Lightning runs of 10,000 steps each, indexed from
 * real CSV files, served in web mode and opened in Chromium at `#/compare?runs=<100 ids>`. Prints the
 * time to the first chart with every run drawn, the points' payload, and how long the page takes to
 * answer a hover, hiding a run and a smoothing change once drawn. A figure, never a pass/fail.
 *
 *   npx tsx src/bench/compare-view.ts [runs] [steps]     (Chromium: /usr/bin/chromium or LABDESK_CHROMIUM)
 *
 * DEBUG_COMPARE=1 also prints when each chart and each request finished; NO_WEBGL=1 starts Chromium
 * without WebGL; SHOT=<file.png> saves a screenshot once every chart is drawn. The UI is built first when its build is older than its sources.
 */
import path from 'node:path';
import { createCore } from '../core.js';
import { startServer } from '../server/http.js';
import { ensureUiBuilt } from '../server/ui-build.js';
import { writeLightningTree } from './lightning-tree.js';
import { msSince, round, withTempDir } from './measure.js';

export interface CompareViewFigures {
  runs: number;
  stepsPerRun: number;
  indexSeconds: number;
  /** Node side: one metrics.batch of every run x the default chart keys, as JSON. */
  batchMs: number;
  batchBytes: number;
  /** Browser: from navigation start. */
  firstChartMs: number;
  allChartsMs: number;
  batchCalls: number;
  payloadBytes: number;
  pointsDrawnFirstChart: number;
  webgl: boolean;
  longestTaskMs: number;
  hoverMs: number;
  hideRunMs: number;
  smoothingMs: number;
}

type ChartState = { traces: number; renders: number; drawnAt: number | null };

/**
 * Injected before the app loads: records when each chart is first drawn with a new number of traces
 * (ms from navigation start), how often it was drawn, and the longest main-thread task.
 */
const RECORDER = `
window.__charts = {};
window.__longest = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
}).observe({ type: 'longtask', buffered: true });
new MutationObserver((records) => {
  for (const r of records) {
    const label = r.target.getAttribute('aria-label') || '';
    if (!label.startsWith('Chart of ')) continue;
    const traces = Number(r.target.dataset.traces || 0);
    const prev = window.__charts[label];
    window.__charts[label] = {
      traces,
      renders: Number(r.target.dataset.renders || 0),
      drawnAt: prev && prev.traces === traces ? prev.drawnAt : performance.now(),
    };
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-renders'] });
`;

export async function benchCompareView(runs = 100, steps = 10_000): Promise<CompareViewFigures> {
  const { chromium } = await import('@playwright/test');
  return withTempDir('compare', async (dir) => {
    writeLightningTree(path.join(dir, 'project'), runs, steps);
    const core = await createCore({ dbPath: path.join(dir, 'catalog.db') });
    const indexStart = performance.now();
    await core.indexFolders([path.join(dir, 'project')]);
    const indexSeconds = round(msSince(indexStart) / 1000, 1);
    const ids = (await core.api['runs.list']({ limit: runs, sort: { column: 'name', direction: 'asc' } })).rows.map((r) => r.id);

    const batchStart = performance.now();
    const batch = await core.api['metrics.batch']({ runs: ids, keys: ['train_loss', 'val_acc', 'val_loss', 'epoch'], maxPoints: 1000 });
    const batchBytes = JSON.stringify({ ok: true, value: batch }).length;
    const batchMs = msSince(batchStart);

    const uiDir = await ensureUiBuilt((line) => process.stderr.write(`${line}\n`));
    const server = await startServer(core, { host: '127.0.0.1', port: 0, uiDir });
    const browser = await chromium.launch({
      executablePath: process.env.LABDESK_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', ...(process.env.NO_WEBGL ? ['--disable-webgl', '--disable-3d-apis'] : [])],
    });
    try {
      // Playwright evaluates string predicates with eval, which the app's strict CSP refuses.
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
      let payloadBytes = 0;
      let batchCalls = 0;
      page.on('response', async (res) => {
        if (!res.url().endsWith('/api/metrics.batch')) return;
        batchCalls++;
        payloadBytes += (await res.body().catch(() => Buffer.alloc(0))).length;
      });
      // The browser side is plain JavaScript in strings: src/ is compiled without the DOM's types.
      await page.addInitScript({ content: RECORDER });
      const charts = () => page.evaluate<Record<string, ChartState>>('window.__charts');
      const all = (test: string) => `[...document.querySelectorAll('[role="img"][aria-label^="Chart of "]')].every((el) => ${test})`;

      // The printed link opens the session; the redirect keeps the #fragment.
      await page.goto(`${server.openUrl}#/compare?runs=${ids.join(',')}`);
      // Every default chart drawn with every run.
      await page.waitForFunction(`document.querySelector('[role="img"][aria-label^="Chart of "]') && ${all(`Number(el.dataset.traces) === ${runs}`)}`, undefined, {
        timeout: 180_000,
        polling: 50,
      });
      const times = Object.values(await charts())
        .filter((c) => c.traces === runs && c.drawnAt !== null)
        .map((c) => c.drawnAt!);
      if (process.env.DEBUG_COMPARE) {
        console.error(JSON.stringify(await charts()));
        console.error(
          await page.evaluate<string>(
            `performance.getEntriesByType('resource').map((e) => e.name.split('/').pop().slice(0, 30) + ' ' + Math.round(e.startTime) + '→' + Math.round(e.responseEnd) + ' ' + e.encodedBodySize).join('\\n')`,
          ),
        );
      }
      const webgl = await page.evaluate<boolean>(`!!document.querySelector('[aria-label="Chart of train_loss"] canvas')`);
      const pointsDrawnFirstChart = await page.evaluate<number>(
        `(document.querySelector('[aria-label="Chart of train_loss"]').data || []).reduce((n, t) => n + t.x.length, 0)`,
      );

      if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
      // Hover: every run's value at that x.
      const chart = page.locator('[role="img"][aria-label="Chart of train_loss"]');
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      const hoverStart = performance.now();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55, { steps: 2 });
      await page.waitForFunction(`(document.querySelector('[aria-label="Chart of train_loss"] .hoverlayer')?.textContent ?? '').length > 0`);
      const hoverMs = msSince(hoverStart);
      await page.mouse.move(0, 0);

      // Hiding one run redraws every chart without it.
      const hideStart = performance.now();
      await page.getByRole('checkbox', { name: 'Show version_0', exact: true }).uncheck();
      await page.waitForFunction(all(`Number(el.dataset.traces) === ${runs - 1}`), undefined, { polling: 'raf' });
      const hideRunMs = msSince(hideStart);

      // One smoothing step (keyboard on the slider) re-smooths and redraws every chart.
      const before = await charts();
      const smoothStart = performance.now();
      await page.getByRole('slider', { name: 'Smoothing' }).press('ArrowRight');
      await page.waitForFunction(all(`Number(el.dataset.renders) > (${JSON.stringify(Object.fromEntries(Object.entries(before).map(([k, c]) => [k, c.renders])))}[el.getAttribute('aria-label')] ?? 0)`), undefined, {
        polling: 'raf',
      });
      const smoothingMs = msSince(smoothStart);

      return {
        runs,
        stepsPerRun: steps,
        indexSeconds,
        batchMs,
        batchBytes,
        firstChartMs: round(Math.min(...times)),
        allChartsMs: round(Math.max(...times)),
        batchCalls,
        payloadBytes,
        pointsDrawnFirstChart,
        webgl,
        longestTaskMs: round(await page.evaluate<number>('window.__longest')),
        hoverMs: round(hoverMs),
        hideRunMs: round(hideRunMs),
        smoothingMs: round(smoothingMs),
      };
    } finally {
      await browser.close();
      await server.close();
      await core.close();
    }
  });
}

const mb = (bytes: number) => `${round(bytes / 1e6, 1)} MB`;

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('compare-view.ts')) {
  const [runs, steps] = process.argv.slice(2).map(Number);
  const f = await benchCompareView(runs || 100, steps || 10_000);
  process.stdout.write(
    [
      `Compare view: ${f.runs} runs x ${f.stepsPerRun.toLocaleString('en-US')} steps (Lightning CSV), indexed in ${f.indexSeconds} s`,
      `  metrics.batch in Node, 4 keys x ${f.runs} runs at 1,000 points: ${f.batchMs} ms, ${mb(f.batchBytes)} JSON`,
      `  first chart with all ${f.runs} runs drawn: ${f.firstChartMs} ms from navigation; all charts: ${f.allChartsMs} ms`,
      `  points payload: ${mb(f.payloadBytes)} in ${f.batchCalls} metrics.batch calls; first chart draws ${f.pointsDrawnFirstChart.toLocaleString('en-US')} points (${f.webgl ? 'WebGL' : 'SVG'})`,
      `  longest main-thread task: ${f.longestTaskMs} ms`,
      `  once drawn — hover label: ${f.hoverMs} ms, hide a run: ${f.hideRunMs} ms, smoothing step: ${f.smoothingMs} ms`,
      '',
    ].join('\n'),
  );
}
