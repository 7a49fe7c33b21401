/**
 * The first-use journey: an empty catalog, adding a folder of real Lightning runs, the runs table,
 * a run's charts, the Problems view, and the dark theme. Screenshots of each step go to
 * tests/e2e/screenshots/ for a human to look at.
 */
import path from 'node:path';
import { expect, shot, test } from './labdesk-server';


// The project interleaves CSVLogger (even) and TensorBoardLogger (odd) versions of one logger folder.
const RUNS = ['version_0', 'version_1', 'version_2', 'version_3', 'version_4', 'version_5', 'version_6', 'version_7'];

test('add a folder, browse runs, open a run, see problems, go dark', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  const runsTable = page.getByRole('table', { name: 'Runs' });
  const statusBar = page.getByRole('contentinfo');

  await test.step('empty catalog teaches what to do', async () => {
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'Add a folder or drop one here' })).toBeVisible();
    await expect(page.getByText('PyTorch Lightning', { exact: true })).toBeVisible();
    await expect(page.getByText('MLflow (mlruns/ and mlflow.db)')).toBeVisible();
    await expect(page.getByRole('searchbox', { name: 'Search runs' })).toBeVisible();
    await shot(page, '01-empty');
  });

  await test.step('a bad path is explained in the dialog', async () => {
    await page.getByRole('button', { name: 'Add folder', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a folder' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('textbox', { name: 'Folder path' }).fill(path.join(labdesk.dir, 'no-such-folder'));
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Could not add this folder');
    await shot(page, '02-add-error');
  });

  await test.step('adding the folder lists its eight runs', async () => {
    const dialog = page.getByRole('dialog', { name: 'Add a folder' });
    await dialog.getByRole('textbox', { name: 'Folder path' }).fill(project);
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(dialog).toBeHidden();
    await expect(statusBar.getByText('8 runs', { exact: true })).toBeVisible();
    const runRows = runsTable.getByRole('row').filter({ hasText: /version_\d/ });
    await expect(runRows).toHaveCount(8);
    // Where each run comes from closes the row: scrolled to, as columns off screen are not rendered.
    const grid = page.locator('.ld-grid-scroll');
    await grid.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    for (const [i, name] of RUNS.entries()) {
      const row = runsTable.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
      await expect(row).toContainText('lightning_logs');
      await expect(row).toContainText(i % 2 ? 'lightning-tensorboard' : 'lightning-csv');
    }
    // The params sit before the source columns; the metrics next to the name.
    await expect(runsTable.getByRole('columnheader', { name: 'lr', exact: true })).toBeInViewport();
    await grid.evaluate((el) => el.scrollTo({ left: 0 }));
    await expect(runsTable.getByRole('columnheader', { name: 'val_acc', exact: true })).toBeInViewport();
    await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Problems/ })).toBeVisible();
    await shot(page, '03-runs');
  });

  await test.step('headers sort on the server; / focuses search', async () => {
    const header = runsTable.getByRole('columnheader', { name: 'val_acc', exact: true });
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect(runsTable.getByRole('row').filter({ hasText: /version_\d/ })).toHaveCount(8);
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search runs' })).toBeFocused();
    await page.keyboard.press('Escape');
  });

  await test.step('a run shows its params, metrics and charts', async () => {
    await runsTable.getByRole('link', { name: 'version_0', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'version_0' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Params' })).toContainText('lr');
    await expect(page.getByRole('table', { name: 'Metric summaries' })).toContainText('val_acc');
    await shot(page, '04-run-overview');

    await page.getByRole('tab', { name: /Charts/ }).click();
    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    await expect(chart).toBeVisible();
    // plotly drew the series: its SVG holds the line and marker paths.
    await expect(chart.locator('svg .scatterlayer path').first()).toBeAttached();
    expect(await chart.locator('svg .scatterlayer path').count()).toBeGreaterThan(0);
    await shot(page, '05-run-charts');

    await page.getByRole('tab', { name: /Files/ }).click();
    await expect(page.getByRole('table', { name: 'Source files' })).toContainText('metrics.csv');
    await shot(page, '06-run-files');
  });

  await test.step('the Problems view lists unreadable files or says there are none', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Problems/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Problems' })).toBeVisible();
    await expect(
      page.getByRole('table', { name: 'Problems' }).or(page.getByRole('heading', { name: 'No problems: every file was read' })),
    ).toBeVisible();
    await shot(page, '07-problems');
  });

  await test.step('dark theme', async () => {
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await shot(page, '08-problems-dark');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Runs' }).click();
    await expect(runsTable.getByRole('row').filter({ hasText: /version_\d/ })).toHaveCount(8);
    await shot(page, '09-runs-dark');
    await runsTable.getByRole('link', { name: 'version_0', exact: true }).click();
    await page.getByRole('tab', { name: /Charts/ }).click();
    await expect(page.getByRole('img', { name: 'Chart of val_acc' }).locator('svg .scatterlayer path').first()).toBeAttached();
    await shot(page, '10-run-charts-dark');
  });
});
