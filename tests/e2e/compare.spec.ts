/**
 * The compare view on real Lightning runs: version_0 and version_2 of one logger folder share their
 * metrics and differ in one param (hidden: 16 vs 32). Charts overlay both runs, the diff flags the
 * differing param, live appends reach the charts, and the edge states say what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { call, expect, shot, test } from './labdesk-server';



/** Adds a folder as a root and waits until its runs are in the catalog; returns run ids by name. */
async function addRoot(page: Page, folder: string, runs: number): Promise<Map<string, string>> {
  await call(page, 'roots.add', { path: folder });
  let rows: { id: string; name: string; format: string }[] = [];
  await expect
    .poll(async () => {
      rows = (await call<{ rows: typeof rows }>(page, 'runs.list', { limit: 100 })).rows;
      return rows.length;
    })
    .toBe(runs);
  // The CSV runs (version_0, 2, 4, 6) carry every metric row; their TensorBoard twins share names' numbers.
  return new Map(rows.filter((r) => r.format === 'lightning-csv').map((r) => [r.name, r.id]));
}

/** The names of the traces plotly drew in a chart (read from plotly's own copy of the data). */
function traceNames(chart: Locator): Promise<string[]> {
  return chart.evaluate((el) => ((el as HTMLElement & { data?: { name?: string }[] }).data ?? []).map((t) => t.name ?? '').filter(Boolean));
}

test('compare two runs: overlaid charts, diff of params, live points, edge states', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  await page.goto('./');
  const ids = await addRoot(page, project, 8);
  const v0 = ids.get('version_0')!;
  const v2 = ids.get('version_2')!;

  await test.step('charts overlay both runs, one colour each, with a legend', async () => {
    await page.goto(`./#/compare?runs=${v0},${v2}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Compare 2 runs' })).toBeVisible();
    const panel = page.getByRole('region', { name: 'Compared runs' });
    await expect(panel.getByRole('checkbox', { name: 'Show version_0' })).toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'Show version_2' })).toBeChecked();
    await expect(page.getByRole('tab', { name: 'Charts' })).toHaveAttribute('aria-selected', 'true');

    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    await expect(chart).toHaveAttribute('data-traces', '2');
    expect(await traceNames(chart)).toEqual(['version_0', 'version_2']);
    const legend = chart.locator('.legend .legendtext');
    await expect(legend).toHaveText(['version_0', 'version_2']);
    // The same run has the same colour in every chart.
    const colours = async (name: string) =>
      page.getByRole('img', { name: `Chart of ${name}` }).evaluate((el) =>
        ((el as HTMLElement & { data?: { line?: { color?: string } }[] }).data ?? []).map((t) => t.line?.color),
      );
    await expect(page.getByRole('img', { name: 'Chart of val_loss' })).toHaveAttribute('data-traces', '2');
    expect(await colours('val_loss')).toEqual(await colours('val_acc'));

    // Hover shows every run's value at that x.
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 4 });
    await expect(chart.locator('.hoverlayer')).toContainText('version_0');
    await expect(chart.locator('.hoverlayer')).toContainText('version_2');
    await shot(page, '20-compare-charts');
    await page.mouse.move(0, 0);
  });

  await test.step('a chart exports as SVG and PNG', async () => {
    for (const [item, ext] of [['Download SVG', 'svg'], ['Download PNG', 'png']]) {
      await page.getByRole('button', { name: 'Export val_acc chart' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
      expect(download.suggestedFilename()).toBe(`val_acc_chart.${ext}`);
      const bytes = fs.readFileSync(await download.path());
      if (ext === 'svg') expect(bytes.toString('utf8')).toContain('version_2');
      else expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });

  await test.step('hiding a run takes it out of every chart', async () => {
    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    await page.getByRole('checkbox', { name: 'Show version_2' }).uncheck();
    await expect(chart).toHaveAttribute('data-traces', '1');
    expect(await traceNames(chart)).toEqual(['version_0']);
    await page.getByRole('checkbox', { name: 'Show version_2' }).check();
    await expect(chart).toHaveAttribute('data-traces', '2');
  });

  await test.step('a point appended to a run reaches the chart without a reload', async () => {
    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    const points = () =>
      chart.evaluate((el) => ((el as HTMLElement & { data?: { name?: string; x: unknown[] }[] }).data ?? []).find((t) => t.name === 'version_0')?.x.length);
    expect(await points()).toBe(4);
    await page.evaluate(() => Object.assign(window, { labdeskNoReload: true }));
    fs.appendFileSync(path.join(project, 'lightning_logs/version_0/metrics.csv'), '4,124,,,0.9712,0.081\r\n');
    await expect.poll(points, { timeout: 15_000 }).toBe(5);
    expect(await page.evaluate(() => (window as { labdeskNoReload?: boolean }).labdeskNoReload)).toBe(true);
  });

  await test.step('the diff flags the differing param, and "Only differences" hides equal rows', async () => {
    await page.getByRole('tab', { name: 'Diff' }).click();
    const table = page.getByRole('table', { name: 'Run differences' });
    const row = (key: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${key}\\b`) }) });
    await expect(row('hidden')).toHaveAttribute('data-differs', 'true');
    await expect(row('hidden')).toContainText('differs');
    await expect(row('hidden')).toContainText('16');
    await expect(row('hidden')).toContainText('32');
    await expect(row('dropout')).toHaveAttribute('data-differs', 'false');
    await expect(row('lr')).toHaveAttribute('data-differs', 'false');
    await shot(page, '21-compare-diff');

    await page.getByRole('switch', { name: 'Only differences' }).check();
    await expect(row('dropout')).toHaveCount(0);
    await expect(row('hidden')).toBeVisible();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('labdesk-compare-diff.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('Params,hidden,yes,16,32');
    expect(csv).not.toContain('Params,dropout');
  });

  await test.step('dark theme: plot colours follow it', async () => {
    await page.getByRole('tab', { name: 'Charts' }).click();
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    await expect(chart).toHaveAttribute('data-traces', '2');
    await expect(chart.locator('.xtick text').first()).toHaveCSS('fill', 'rgb(201, 201, 201)');
    await shot(page, '22-compare-dark');
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
  });

  await test.step('fewer than two runs says how to pick them', async () => {
    await page.goto(`./#/compare?runs=${v0}`);
    await expect(page.getByRole('heading', { name: 'Pick at least two runs to compare' })).toBeVisible();
    await expect(page.getByText('tick the checkbox of two or more runs')).toBeVisible();
  });

  await test.step('a run that is not in the catalog is named, with a way on', async () => {
    await page.goto(`./#/compare?runs=${v0},${v2},deadbeefdeadbeef`);
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot compare these runs' });
    await expect(alert).toContainText('deadbeefdeadbeef is not in the catalog');
    await alert.getByRole('button', { name: 'Compare the other 2 runs' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Compare 2 runs' })).toBeVisible();
    expect(page.url()).not.toContain('deadbeef');
  });
});

test('compare four runs: groups, parallel coordinates, scatter', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  await page.goto('./');
  const ids = await addRoot(page, project, 8);
  const four = ['version_0', 'version_2', 'version_4', 'version_6'].map((n) => ids.get(n)!);
  await page.goto(`./#/compare?runs=${four.join(',')}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 4 runs' })).toBeVisible();

  await test.step('group by a param: a mean line and band per group', async () => {
    await page.getByRole('combobox', { name: 'Group by' }).click();
    await page.getByRole('option', { name: 'hidden', exact: true }).click();
    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    // hidden = 16, 32 (version_2 and version_6), 64: three groups, three traces each (band top, band bottom, mean).
    await expect(chart).toHaveAttribute('data-traces', '9');
    expect(await traceNames(chart)).toEqual(['hidden = 16 (1)', 'hidden = 32 (2)', 'hidden = 64 (1)']);
    await expect(page.getByRole('group', { name: 'Group hidden = 32' })).toContainText('version_6');
    await shot(page, '23-compare-groups');
    await page.getByRole('combobox', { name: 'Group by' }).click();
    await page.getByRole('option', { name: 'hidden', exact: true }).click();
  });

  await test.step('parallel coordinates: params to a metric', async () => {
    await page.getByRole('tab', { name: 'Parallel coordinates' }).click();
    const chart = page.getByRole('img', { name: 'Parallel coordinates of params and metric' });
    await expect(chart).toHaveAttribute('data-traces', '1');
    await expect(chart.locator('.axis-title')).toContainText(['hidden', 'lr']);
    // Brush the top of the "hidden" axis (64): only version_4 stays inside.
    const bar = (await chart.locator('.axis-brush .background').first().boundingBox())!;
    const x = bar.x + bar.width / 2;
    // From 45 px down the axis up past its top (the brush stops at the axis end).
    await page.mouse.move(x, bar.y + 60, { steps: 3 });
    await page.mouse.move(x, bar.y + 45, { steps: 3 });
    await page.mouse.down();
    await page.mouse.move(x, bar.y + 20, { steps: 10 });
    await page.mouse.move(x, bar.y - 15, { steps: 10 });
    await page.mouse.up();
    await expect(page.getByRole('status').filter({ hasText: 'inside the brushed ranges' })).toContainText('1 of 4 runs');
    await shot(page, '24-compare-parallel');
    await page.getByRole('button', { name: 'Hide the other runs' }).click();
    await expect(page.getByRole('checkbox', { name: 'Show version_0' })).not.toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Show version_4' })).toBeChecked();
    await page.getByRole('button', { name: 'Show all' }).click();
  });

  await test.step('scatter: a param against a metric, one point per run', async () => {
    await page.getByRole('tab', { name: 'Scatter' }).click();
    const chart = page.getByRole('img', { name: /^Scatter of/ });
    await expect(chart).toHaveAttribute('data-traces', '4');
    await shot(page, '25-compare-scatter');
  });
});

test('a sweep against time, smoothed; nested Hydra configs diffed key by key', async ({ page, labdesk }) => {
  const sweep = labdesk.copyFixture('realruns/tensorboard_sweep');
  const hydra = labdesk.copyFixture('public/hydra/stavrosb00__FedLearningFoodClassification__flower-outputs-multirun-tensorboard');
  await page.goto('./');
  await call(page, 'roots.add', { path: sweep });
  await call(page, 'roots.add', { path: hydra });
  let rows: { id: string; name: string; format: string; path: string; params: Record<string, string> }[] = [];
  await expect
    .poll(async () => {
      rows = (await call<{ rows: typeof rows }>(page, 'runs.list', { limit: 200 })).rows;
      const sweepRuns = rows.filter((r) => r.path.includes('tensorboard_sweep')).length;
      const seedRuns = rows.filter((r) => r.format === 'hydra' && r.params['config_fit.lr'] !== undefined).length;
      return [sweepRuns, seedRuns];
    })
    .toEqual([6, 4]);

  await test.step('six TensorBoard runs on relative time, smoothed, grouped by batch size', async () => {
    const runs = rows.filter((r) => r.path.includes('tensorboard_sweep'));
    await page.goto(`./#/compare?runs=${runs.map((r) => r.id).join(',')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Compare 6 runs' })).toBeVisible();
    await page.locator('label').filter({ hasText: 'Relative time' }).click();
    await expect(page.getByRole('radio', { name: 'Relative time' })).toBeChecked();
    const slider = page.getByRole('slider', { name: 'Smoothing' });
    await slider.focus();
    for (let i = 0; i < 60; i++) await slider.press('ArrowRight');
    await expect(page.getByText('Smoothing 0.60')).toBeVisible();
    const chart = page.getByRole('img', { name: /^Chart of loss/ }).first();
    // Six smoothed runs, each over its faded raw line.
    await expect(chart).toHaveAttribute('data-traces', '12');
    await expect(chart.locator('.xtitle')).toContainText('relative time');
    await shot(page, '26-compare-sweep-smoothed');

    await page.getByRole('combobox', { name: 'Group by' }).click();
    await page.getByRole('option', { name: 'batch_size', exact: true }).click();
    // A band and a mean per group (the mean dotted where only some of the group's runs reach).
    await expect.poll(async () => [...new Set(await traceNames(chart))]).toEqual(['batch_size = 32 (3)', 'batch_size = 64 (2)', 'batch_size = 128 (1)']);
    await shot(page, '27-compare-sweep-groups');
  });

  await test.step('Hydra configs: nested keys under their prefixes, only differences', async () => {
    const seeds = rows.filter((r) => r.format === 'hydra' && r.params['config_fit.lr'] !== undefined && ['4', '5', '6'].includes(r.name));
    expect(seeds).toHaveLength(3);
    await page.goto(`./#/compare?runs=${seeds.map((r) => r.id).join(',')}`);
    await page.getByRole('tab', { name: 'Diff' }).click();
    const table = page.getByRole('table', { name: 'Run differences' });
    // config_fit.lr sits under a "config_fit." group row, indented.
    await expect(table.getByRole('rowheader', { name: /^config_fit\./ })).toBeVisible();
    const seed = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^seed\b/ }) });
    await expect(seed).toHaveAttribute('data-differs', 'true');
    await page.getByRole('switch', { name: 'Only differences' }).check();
    await expect(table.getByRole('rowheader', { name: /^config_fit\./ })).toHaveCount(0);
    await expect(seed).toBeVisible();
    await page.getByRole('switch', { name: 'Only differences' }).uncheck();
    await shot(page, '28-compare-nested-diff');
  });
});
