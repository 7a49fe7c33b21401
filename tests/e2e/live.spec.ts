/**
 * Live updates: a row appended to a run's metrics.csv while its chart is open reaches the chart
 * (one more point drawn) and the run's status, with no reload of the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addFolderInUi, expect, repoRoot, test } from './labdesk-server';

test('a chart gains the point a training process just appended, without a reload', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  await page.goto('./');
  await addFolderInUi(page, project);
  await expect(page.getByRole('contentinfo').getByText('8 runs', { exact: true })).toBeVisible();

  await page.getByRole('table', { name: 'Runs' }).getByRole('link', { name: 'version_0', exact: true }).click();
  await page.getByRole('tab', { name: /Charts/ }).click();
  const card = page.locator('.mantine-Card-root').filter({ has: page.getByRole('img', { name: 'Chart of val_acc' }) });
  const markers = card.locator('svg .scatterlayer .points path');
  await expect(card.getByText('4 points')).toBeVisible();
  await expect(markers).toHaveCount(4);
  await page.evaluate(() => Object.assign(window, { labdeskNoReload: true }));

  // What Lightning's CSVLogger appends after another validation epoch.
  fs.appendFileSync(path.join(project, 'lightning_logs/version_0/metrics.csv'), '4,124,,,0.9712,0.081\r\n');

  await expect(card.getByText('5 points')).toBeVisible({ timeout: 10_000 });
  await expect(markers).toHaveCount(5);
  await expect(card.getByText(/last 0\.9712/)).toBeVisible();
  await expect(page.getByText('running', { exact: true }).first()).toBeVisible();
  expect(await page.evaluate(() => (window as { labdeskNoReload?: boolean }).labdeskNoReload)).toBe(true);
  await page.screenshot({ path: path.join(repoRoot, 'tests/e2e/screenshots/11-live-append.png') });
});
