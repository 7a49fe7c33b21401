/**
 * The run page on the first day: chart controls like the compare view's, files previewed inside the
 * app, failed runs that say why, the empty state's formats, and the frame at 768 px.
 */
import type { Page } from '@playwright/test';
import type { RunSummary } from '../../src/api/contract';
import { call, expect, test } from './labdesk-server';
import { shotEachWay } from './shot-all-ways';

const SACRED = 'public/sacred/manuel-rhdt__ml-pws__sacred085-torch-model-size-sweep';
const MLFLOW = 'public/mlflow/PatrickCmd__mlops-zoomcamp__sqlite-mlflow1.26-xgboost-steps-registry';

async function view(page: Page, width: number, scheme: 'light' | 'dark') {
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
}

/** Adds folders as roots and waits until every root is indexed (the catalog holds `runs` runs). */
async function addRoots(page: Page, folders: string[], runs: number): Promise<RunSummary[]> {
  for (const folder of folders) await call(page, 'roots.add', { path: folder });
  let rows: RunSummary[] = [];
  await expect
    .poll(async () => (rows = (await call<{ rows: RunSummary[] }>(page, 'runs.list', { limit: 500 })).rows).length, { timeout: 30_000 })
    .toBe(runs);
  return rows;
}

test('the empty state lists every kind of folder Labdesk reads, notebooks included', async ({ page }) => {
  await view(page, 768, 'dark');
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Add a folder or drop one here' })).toBeVisible();
  for (const format of ['Jupyter notebooks (executed .ipynb)', 'Comet (offline)', 'Keras CSVLogger and History JSON', 'Sacred', 'Hydra']) {
    await expect(page.getByText(format, { exact: true })).toBeVisible();
  }
  await shotEachWay(page, '83-empty-state');
});

test('run charts have x axis, smoothing and log y; files open in a preview; failed runs say why', async ({ page, labdesk }) => {
  const lightning = labdesk.copyFixture('realruns/lightning_project');
  const sacred = labdesk.copyFixture(SACRED);
  const mlflow = labdesk.copyFixture(MLFLOW);
  await view(page, 1440, 'light');
  await page.goto('./');
  const rows = await addRoots(page, [lightning, sacred, mlflow], 81); // 8 + 6 + 67
  const v4 = rows.find((r) => r.format === 'lightning-csv' && r.name === 'version_4')!;
  expect(v4).toBeDefined();

  await test.step('charts: relative time, smoothing with the raw line behind, log y', async () => {
    await page.goto(`./#/runs/${v4.id}/charts`);
    const chart = page.getByRole('img', { name: 'Chart of train_loss_step' });
    await expect(chart.locator('.main-svg').first()).toBeVisible();
    const settings = page.getByRole('group', { name: 'Chart settings' });
    await settings.getByText('Relative time').click();
    // Lightning's CSV has no times: the chart says so rather than drawing nothing.
    await expect(chart.getByText('This metric was logged without times: choose Step for the x axis.')).toBeVisible();
    await settings.getByText('Step', { exact: true }).click();
    const thumb = page.getByRole('slider', { name: 'Smoothing' });
    await thumb.focus();
    for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByText('Smoothing 0.60')).toBeVisible();
    await expect(chart.locator('.scatterlayer .trace')).toHaveCount(2); // faded raw + smoothed
    await page.getByRole('switch', { name: 'Log y' }).check();
    await expect.poll(() => chart.evaluate((el) => (el.querySelector('.js-plotly-plot') as unknown as { layout: { yaxis: { type: string } } }).layout.yaxis.type)).toBe('log');
    await shotEachWay(page, '80-run-charts');
  });

  await test.step('files: CSV as a table, YAML as text, no desktop-only action in the browser', async () => {
    await page.goto(`./#/runs/${v4.id}/files`);
    await page.getByRole('button', { name: 'Preview metrics.csv' }).click();
    const dialog = page.getByRole('dialog');
    const table = dialog.getByRole('table', { name: 'Rows of metrics.csv' });
    await expect(table.getByRole('columnheader', { name: 'val_loss' })).toBeVisible();
    await expect(table.getByRole('row')).not.toHaveCount(1);
    await shotEachWay(page, '81-file-preview-csv');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Preview hparams.yaml' }).click();
    await expect(dialog.getByLabel('Contents of hparams.yaml')).toContainText(':');
    await expect(dialog.getByText(/^YAML/)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: /in folder$/ })).toHaveCount(0);
  });

  await test.step('a failed Sacred run shows its fail_trace; a failed MLflow run what MLflow recorded', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    const all = (await call<{ rows: RunSummary[] }>(page, 'runs.list', { limit: 500 })).rows;
    const failedSacred = all.find((r) => r.format === 'sacred' && r.status === 'failed')!;
    expect(failedSacred).toBeDefined();
    await page.goto(`./#/runs/${failedSacred.id}`);
    // The banner is named by the exception, the last line of Sacred's fail_trace.
    const lastLine = failedSacred.error!.trim().split('\n').pop()!.trim();
    expect(lastLine).toMatch(/Error/);
    const banner = page.getByRole('alert', { name: `Failed: ${lastLine}` });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Sacred recorded this run as failed');
    await shotEachWay(page, '82-failure-banner-sacred');
    // The whole traceback is in run.json: one click opens it, pretty-printed.
    await banner.getByRole('button', { name: 'Open run.json' }).click();
    const record = page.getByRole('dialog').getByLabel('Contents of run.json');
    await expect(record).toContainText('"fail_trace": [');
    await expect(record).toContainText('Traceback (most recent call last)');
    await shotEachWay(page, '82-failure-run-json');
    await page.keyboard.press('Escape');
    // The MLflow 1.26 store holds three FAILED runs with no error text: the banner says what MLflow recorded.
    const failedMlflow = all.find((r) => r.format.startsWith('mlflow') && r.status === 'failed')!;
    expect(failedMlflow).toBeDefined();
    await page.goto(`./#/runs/${failedMlflow.id}`);
    await expect(page.getByRole('alert', { name: /^(Failed: |This run failed)/ })).toContainText('MLflow recorded this run as failed');
    await shotEachWay(page, '82-failure-banner-mlflow');
    const finished = all.find((r) => r.status === 'finished')!;
    await page.goto(`./#/runs/${finished.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('alert', { name: /^(Failed: |This run failed)/ })).toHaveCount(0);
  });

  await test.step('tag pills in the run header are whole, not clipped', async () => {
    await page.goto(`./#/runs/${v4.id}`);
    const tags = page.getByRole('textbox', { name: 'Tags' }).or(page.getByRole('combobox', { name: 'Tags' })).first();
    for (const tag of ['baseline', 'lr-sweep-wide-net']) {
      await tags.fill(tag);
      await tags.press('Enter');
    }
    const remove = page.getByRole('button', { name: 'Remove tag lr-sweep-wide-net' });
    await expect(remove).toBeVisible();
    const pill = page.locator('.mantine-Pill-root', { hasText: 'lr-sweep-wide-net' });
    const field = page.locator('.mantine-TagsInput-input').first();
    const [p, f] = [(await pill.boundingBox())!, (await field.boundingBox())!];
    expect(p.y).toBeGreaterThanOrEqual(f.y);
    expect(p.y + p.height).toBeLessThanOrEqual(f.y + f.height);
    expect(p.x + p.width).toBeLessThanOrEqual(f.x + f.width);
    expect(await pill.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await shotEachWay(page, '82-tag-pills');
  });

  await test.step('768 px: the top bar stays one line; the run page fits', async () => {
    await view(page, 768, 'light');
    await page.goto('./#/runs');
    await expect(page.getByRole('table', { name: 'Runs' })).toBeVisible();
    // One line each: the top bar, and the runs toolbar (count, group by, columns, save view).
    const bar = await page.getByRole('banner').boundingBox();
    expect(bar!.height).toBeLessThanOrEqual(64);
    const search = await page.getByRole('searchbox', { name: 'Search runs' }).boundingBox();
    expect(search!.width).toBeGreaterThanOrEqual(400); // was ~290 px beside the full app name
    const groupBy = await page.getByRole('textbox', { name: 'Group by' }).or(page.getByRole('combobox', { name: 'Group by' })).first().boundingBox();
    const count = await page.getByText(/^81 runs · /).boundingBox();
    expect(count!.height).toBeLessThanOrEqual(24);
    expect(Math.abs(count!.y + count!.height / 2 - (groupBy!.y + groupBy!.height / 2))).toBeLessThan(8);
    // Sorted by duration, the header still reads "Duration" in full beside its arrow.
    await page.getByRole('button', { name: 'Duration', exact: true }).click();
    const sorted = page.getByRole('columnheader', { name: 'Duration' });
    await expect(sorted).toHaveAttribute('aria-sort', 'descending');
    const label = sorted.locator('.ld-sort-button > span');
    expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await shotEachWay(page, '84-runs-sorted-by-duration');
    await page.goto(`./#/runs/${v4.id}/charts`);
    await expect(page.getByRole('img', { name: 'Chart of train_loss_step' })).toBeVisible();
    await shotEachWay(page, '84-run-charts-frame');
  });
});
