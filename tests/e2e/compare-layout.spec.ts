/**
 * The compare view's layout on a six-run TensorBoard sweep: the modebar never covers the legend, a
 * metric logged once per run is shown as values (not a chart of dots on −1..1), the diff reaches every
 * run behind a sticky key column, and at 768 px the charts get the width.
 */
import type { Page } from '@playwright/test';
import { call, expect, test } from './labdesk-server';
import { shotEachWay } from './shot-all-ways';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function sweep(page: Page, folder: string): Promise<{ id: string; name: string }[]> {
  await call(page, 'roots.add', { path: folder });
  let rows: { id: string; name: string }[] = [];
  await expect
    .poll(async () => {
      rows = (await call<{ rows: typeof rows }>(page, 'runs.list', { limit: 100 })).rows;
      return rows.length;
    })
    .toBe(6);
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

test('compare layout: modebar clear of the legend, single values, a diff of six, 768 px', async ({ page, labdesk }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('./');
  const runs = await sweep(page, labdesk.copyFixture('realruns/tensorboard_sweep'));
  await page.goto(`./#/compare?runs=${runs.map((r) => r.id).join(',')}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 6 runs' })).toBeVisible();

  await test.step('a metric logged once per run is listed as values, not charted', async () => {
    const values = page.getByRole('group', { name: 'Values of hparam/acc' });
    await expect(values).toBeVisible();
    await expect(values.getByRole('listitem')).toHaveCount(6);
    // lr0.1_bs32's final accuracy, as the sweep's hparams plugin recorded it.
    await expect(values.getByRole('listitem').filter({ hasText: 'lr0.1_bs32' })).toContainText('1.013');
    await expect(page.getByRole('img', { name: 'Chart of hparam/acc' })).toHaveCount(0);
    // The series still chart.
    await expect(page.getByRole('img', { name: 'Chart of loss/train' })).toHaveAttribute('data-traces', '6');
  });

  await test.step('on hover the modebar stands beside the legend, never over it', async () => {
    const chart = page.getByRole('img', { name: 'Chart of accuracy/val' });
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6, { steps: 3 });
    const modebar = chart.locator('.modebar');
    await expect(modebar).toBeVisible();
    await expect(chart.locator('.legend .legendtext').filter({ hasText: 'lr0.1_bs32' }).first()).toBeVisible();
    const bar = (await modebar.boundingBox())!;
    const legend = (await chart.locator('.infolayer .legend').boundingBox())!;
    expect(overlaps(bar, legend)).toBe(false);
    await shotEachWay(page, '73-compare-values-modebar', async () => {
      await page.mouse.move(0, 0);
      await chart.scrollIntoViewIfNeeded();
      const b = (await chart.boundingBox())!;
      await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.6, { steps: 3 });
      await expect(modebar).toBeVisible();
    });
    await page.mouse.move(0, 0);
  });

  await test.step('the diff reaches all six runs behind a sticky key column', async () => {
    await page.getByRole('tab', { name: 'Diff' }).click();
    const table = page.getByRole('table', { name: 'Run differences' });
    const key = table.getByRole('rowheader', { name: /^lr\b/ });
    const keyBox = (await key.boundingBox())!;
    // Five of the six run columns fit at 1440 px next to the key names.
    for (const r of runs.slice(0, 5)) await expect(table.getByRole('columnheader', { name: r.name })).toBeInViewport({ ratio: 0.9 });
    const last = table.getByRole('columnheader', { name: runs[5].name });
    await last.scrollIntoViewIfNeeded();
    await expect(last).toBeInViewport();
    // After scrolling sideways the key names stay where they were.
    expect((await key.boundingBox())!.x).toBeCloseTo(keyBox.x, 0);
    await expect(key).toBeInViewport();
    // Durations in units: the sweep's runs took 64–75 ms each (they were all "0.1 s", then raw "0.072").
    const duration = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^duration\b/ }) });
    const texts = await duration.getByRole('cell').allTextContents();
    expect(texts).toHaveLength(6);
    for (const text of texts) expect(text).toMatch(/^\d+ ms$/);
    await shotEachWay(page, '74-compare-diff');
  });

  await test.step('at 768 px the runs panel sits above the charts, which get the width', async () => {
    await page.setViewportSize({ width: 768, height: 900 });
    await page.getByRole('tab', { name: 'Charts' }).click();
    const chart = page.getByRole('img', { name: 'Chart of loss/train' });
    await expect(chart).toHaveAttribute('data-traces', '6');
    await chart.scrollIntoViewIfNeeded();
    const viewportWidth = 768;
    // The app's own sidebar keeps its place; the charts get the rest (was ~200 px beside the runs panel).
    expect((await chart.boundingBox())!.width).toBeGreaterThan(viewportWidth * 0.55);
    const panel = page.getByRole('region', { name: 'Compared runs' });
    expect((await panel.boundingBox())!.y + (await panel.boundingBox())!.height).toBeLessThanOrEqual((await chart.boundingBox())!.y);
    await page.getByRole('region', { name: 'Comparison' }).evaluate((el) => el.scrollIntoView());
    await shotEachWay(page, '74-compare-charts', async () => {
      await page.getByRole('region', { name: 'Comparison' }).evaluate((el) => el.scrollIntoView());
    });
  });
});
