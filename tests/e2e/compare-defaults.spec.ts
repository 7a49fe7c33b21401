/**
 * Compare across tools: five runs from Lightning, Keras and a TensorBoard sweep. A run's colour comes
 * from its id (same after reloads in any order, five distinct in one comparison), and parallel
 * coordinates and the scatter start on the params that differ and the metric most runs logged.
 */
import type { Page } from '@playwright/test';
import { call, expect, test } from './labdesk-server';
import { shotEachWay } from './shot-all-ways';

type Row = { id: string; name: string; format: string; path: string };

/** Five runs of three tools, by name: three Lightning CSV versions, a Keras log, one sweep point. */
async function fiveRuns(page: Page, folders: string[]): Promise<Map<string, string>> {
  for (const path of folders) await call(page, 'roots.add', { path });
  const wanted: [string, string][] = [
    ['version_0', 'lightning-csv'],
    ['version_4', 'lightning-csv'],
    ['version_6', 'lightning-csv'],
    ['hyperas_test_log', 'keras-csv'],
    ['lr0.1_bs32', 'tensorboard'],
  ];
  let ids = new Map<string, string>();
  await expect
    .poll(async () => {
      const rows = (await call<{ rows: Row[] }>(page, 'runs.list', { limit: 500 })).rows;
      ids = new Map(wanted.flatMap(([name, format]) => rows.filter((r) => r.name === name && r.format === format).map((r) => [name, r.id] as const)));
      return ids.size;
    }, { timeout: 30_000 })
    .toBe(5);
  return ids;
}

/** The stroke of each compared run's swatch in the left panel, by run name. */
async function swatchColours(page: Page, names: string[]): Promise<Record<string, string>> {
  const panel = page.getByRole('region', { name: 'Compared runs' });
  const out: Record<string, string> = {};
  for (const name of names) {
    const item = panel.locator('.ld-compare-run').filter({ has: page.getByRole('checkbox', { name: `Show ${name}`, exact: true }) });
    out[name] = (await item.locator('svg line').getAttribute('stroke'))!;
  }
  return out;
}

test('run colours are stable across reloads and distinct within a comparison', async ({ page, labdesk }) => {
  await page.goto('./');
  const ids = await fiveRuns(page, [
    labdesk.copyFixture('realruns/lightning_project'),
    labdesk.copyFixture('public/keras'),
    labdesk.copyFixture('realruns/tensorboard_sweep'),
  ]);
  const names = [...ids.keys()];
  const forward = names.map((n) => ids.get(n)!);

  await page.goto(`./#/compare?runs=${forward.join(',')}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 5 runs' })).toBeVisible();
  const first = await swatchColours(page, names);
  expect(new Set(Object.values(first)).size).toBe(5);
  // The charts draw each run in its swatch's colour.
  const chart = page.getByRole('img', { name: 'Chart of val_acc' });
  await expect(chart).toHaveAttribute('data-traces', '4');
  const traceColours = await chart.evaluate((el) =>
    Object.fromEntries(((el as HTMLElement & { data?: { name?: string; line?: { color?: string } }[] }).data ?? []).map((t) => [t.name, t.line?.color])),
  );
  for (const name of ['version_0', 'version_4', 'version_6', 'hyperas_test_log']) expect(traceColours[name]).toBe(first[name]);
  await shotEachWay(page, '70-compare-colours');

  // A fresh page that sees the runs in the other order (the runs table first, then the reversed URL).
  await page.goto('./');
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search runs' })).toBeVisible();
  await page.goto(`./#/compare?runs=${[...forward].reverse().join(',')}`);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 5 runs' })).toBeVisible();
  expect(await swatchColours(page, names)).toEqual(first);

  // And a comparison of a subset keeps each run's colour when its slot is free.
  await page.goto(`./#/compare?runs=${forward.slice(3).join(',')}`);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 2 runs' })).toBeVisible();
  const two = await swatchColours(page, names.slice(3));
  expect(new Set(Object.values(two)).size).toBe(2);
});

test('parallel coordinates and scatter start on the params that differ and a metric most runs have', async ({ page, labdesk }) => {
  await page.goto('./');
  const ids = await fiveRuns(page, [
    labdesk.copyFixture('realruns/lightning_project'),
    labdesk.copyFixture('public/keras'),
    labdesk.copyFixture('realruns/tensorboard_sweep'),
  ]);
  await page.goto(`./#/compare?runs=${[...ids.values()].join(',')}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 5 runs' })).toBeVisible();

  await test.step('the charts start with the metrics most runs logged', async () => {
    // val_acc and val_loss: four of five runs (Lightning and Keras); the sweep's keys are its own.
    await expect(page.getByRole('img', { name: 'Chart of val_acc' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Chart of val_loss' })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Chart of hparam\// })).toHaveCount(0);
  });

  const chart = page.getByRole('img', { name: 'Parallel coordinates of params and metric' });
  // plotly reorders the axis titles in the DOM on a redraw; the left-to-right order is the trace's.
  const axisTitles = () =>
    chart.evaluate((el) => ((el as HTMLElement & { data?: { dimensions?: { label: string }[] }[] }).data?.[0]?.dimensions ?? []).map((d) => d.label));
  const drawnTitles = async () => (await chart.locator('.axis-title').allTextContents()).sort();
  await test.step('parallel coordinates: lr (4 runs) and hidden (3 runs) against val_acc, lines named', async () => {
    await page.getByRole('tab', { name: 'Parallel coordinates' }).click();
    // lr differs among the four runs that have it, hidden among three; dropout is 0.1 wherever set,
    // batch_size and optimizer come from one run only.
    const axes = page.locator('.mantine-MultiSelect-root').filter({ hasText: 'Params (axes)' });
    await expect(axes.locator('.mantine-Pill-label')).toHaveText(['lr', 'hidden']);
    await expect(page.getByRole('combobox', { name: 'Metric (last axis)' })).toHaveValue('val_acc');
    await expect.poll(axisTitles).toEqual(['lr', 'hidden', 'val_acc (last)']);
    await expect.poll(drawnTitles).toEqual(['hidden', 'lr', 'val_acc (last)']);
    // Every line named in its run's colour; the sweep run has no val_acc and is left out.
    const legend = page.getByRole('list', { name: 'Line colours by run' });
    await expect(legend.getByRole('listitem')).toHaveText(['version_0', 'version_4', 'version_6', 'hyperas_test_log']);
    await expect(page.getByText('1 shown run has no value for val_acc and is left out.')).toBeVisible();
    await shotEachWay(page, '71-compare-parallel-defaults');
  });

  await test.step('grouped: lines in group colours, the legend names the groups', async () => {
    await page.getByRole('combobox', { name: 'Group by' }).click();
    await page.getByRole('option', { name: 'hidden', exact: true }).click();
    const legend = page.getByRole('list', { name: 'Line colours by group' });
    await expect(legend.getByRole('listitem')).toHaveText(['hidden = 16 (1)', 'hidden = 32 (1)', 'hidden = 64 (1)', 'no hidden (1)']);
    await page.getByRole('combobox', { name: 'Group by' }).click();
    await page.getByRole('option', { name: 'hidden', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Line colours by run' })).toBeVisible();
  });

  await test.step('a log scale per axis: lr on the three Lightning runs', async () => {
    // Without the Keras run every drawn run has a numeric lr: the axis can go log.
    await page.getByRole('checkbox', { name: 'Show hyperas_test_log', exact: true }).uncheck();
    const logGroup = page.getByRole('group', { name: 'Log scale per axis' });
    const logLr = logGroup.getByRole('checkbox', { name: 'lr', exact: true });
    // 0.003–0.1 spans under two decades: linear until asked.
    await expect(logLr).not.toBeChecked();
    await expect.poll(axisTitles).toEqual(['lr', 'hidden', 'val_acc (last)']);
    await logGroup.getByText('lr', { exact: true }).click();
    await expect(logLr).toBeChecked();
    await expect.poll(drawnTitles).toEqual(['hidden', 'lr (log)', 'val_acc (last)']);
    await expect.poll(axisTitles).toEqual(['lr (log)', 'hidden', 'val_acc (last)']);
    await expect(chart.locator('.tick text').filter({ hasText: /^0\.003$/ })).toHaveCount(1);
    await shotEachWay(page, '72-compare-parallel-log');
    await page.getByRole('checkbox', { name: 'Show hyperas_test_log', exact: true }).check();
  });

  await test.step('scatter: lr on x, val_acc on y', async () => {
    await page.getByRole('tab', { name: 'Scatter' }).click();
    await expect(page.getByRole('combobox', { name: 'X axis' })).toHaveValue('lr');
    await expect(page.getByRole('combobox', { name: 'Y axis (metric)' })).toHaveValue('val_acc');
    await expect(page.getByRole('img', { name: 'Scatter of val_acc against lr' })).toHaveAttribute('data-traces', '3');
  });
});
