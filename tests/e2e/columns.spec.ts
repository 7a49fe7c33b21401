/**
 * Issue 12 item 1 on the real fixtures (197 runs of ten tools, hundreds of keys): a fresh profile
 * shows the run columns and a small set of shared params and metrics, the metrics on screen without
 * scrolling sideways; the Columns chooser (searchable) turns another key on, and the choice survives
 * a reload.
 */
import type { Page } from '@playwright/test';
import { call, expect, shot, test } from './labdesk-server';

const RUN_COLUMNS = 9;

async function shotAllWays(page: Page, name: string) {
  for (const width of [1440, 768]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
      await shot(page, `${name}-${width}${scheme === 'dark' ? '-dark' : ''}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('runs table columns: a small shared default set on 197 real runs, the chooser turns a key on, remembered', async ({ page, labdesk }) => {
  test.setTimeout(240_000);
  await call(page, 'roots.add', { path: labdesk.copyFixture('realruns') });
  await call(page, 'roots.add', { path: labdesk.copyFixture('public') });
  const table = page.getByRole('table', { name: 'Runs' });
  const headers = table.locator('thead tr[aria-rowindex="2"]').getByRole('columnheader');
  const grid = page.locator('.ld-grid-scroll');
  await page.goto('./');
  await expect(page.getByRole('contentinfo').getByText('197 runs', { exact: true })).toBeVisible({ timeout: 180_000 });
  const keys = await call<{ paramKeys: string[]; metricKeys: string[] }>(page, 'runs.keys', {});
  const keyCount = keys.paramKeys.length + keys.metricKeys.length;
  expect(keyCount).toBeGreaterThan(300);

  await test.step('a fresh profile shows the run columns and at most 6 params and 6 metrics, not every key', async () => {
    await page.reload();
    await expect(table.locator('tbody tr[aria-rowindex]').first()).toBeVisible();
    // By column id: a param and a metric may share a name (epoch).
    const ids = await headers.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column-id') ?? ''));
    const params = ids.filter((id) => id.startsWith('params.'));
    const metrics = ids.filter((id) => id.startsWith('metrics.'));
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.length).toBeLessThanOrEqual(6);
    expect(params.length).toBeLessThanOrEqual(6);
    // aria-colcount counts every column shown, rendered or not (columns are virtualized).
    const colcount = Number(await table.getAttribute('aria-colcount'));
    expect(colcount).toBeGreaterThan(RUN_COLUMNS);
    expect(colcount).toBeLessThanOrEqual(RUN_COLUMNS + 12);
    // The shared metrics are on screen without scrolling sideways.
    expect(await grid.evaluate((el) => el.scrollLeft)).toBe(0);
    for (const m of metrics) await expect(table.locator(`thead th[data-column-id="${m}"]`)).toBeInViewport({ ratio: 1 });
    await shotAllWays(page, '60-default-columns');
  });

  await test.step('the chooser searches every key and turns one on; the choice survives a reload', async () => {
    const shownBefore = new Set(await headers.allTextContents());
    const key = keys.metricKeys.includes('train/loss') && !shownBefore.has('train/loss') ? 'train/loss' : keys.metricKeys.find((k) => !shownBefore.has(k))!;
    const before = Number(await table.getAttribute('aria-colcount'));
    await page.getByRole('button', { name: 'Columns' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await expect(chooser.getByText(new RegExp(`^${before - 3} of ${keyCount + 6} columns shown$`))).toBeVisible();
    await chooser.getByRole('textbox', { name: 'Filter columns' }).fill(key);
    const box = chooser.getByRole('checkbox', { name: `Metric ${key}`, exact: true });
    await expect(box).not.toBeChecked();
    await box.check();
    await expect(box).toBeChecked();
    await expect(table).toHaveAttribute('aria-colcount', String(before + 1));
    await shotAllWays(page, '61-column-chooser');
    await page.keyboard.press('Escape');
    await expect(chooser).toBeHidden();

    const header = table.getByRole('columnheader', { name: key, exact: true });
    const reveal = async () => {
      await grid.evaluate((el) => el.scrollTo({ left: 0 }));
      for (let i = 0; i < 30 && !(await header.isVisible()); i++) await grid.evaluate((el) => el.scrollBy({ left: 400 }));
      await expect(header).toBeVisible();
    };
    await reveal();
    await page.reload();
    await expect(table.locator('tbody tr[aria-rowindex]').first()).toBeVisible();
    await expect(table).toHaveAttribute('aria-colcount', String(before + 1));
    await reveal();
  });
});
