/**
 * Exploring runs on real fixtures: the count, a query in the search language, picking runs with the
 * row checkboxes and the keyboard, "Compare (n)" opening both in one chart, saved views, and a
 * folder dropped on the web UI being copied in and indexed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addFolderInUi, expect, shot, test } from './labdesk-server';


test('count, query, select with checkboxes and keys, compare, save a view', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  const table = page.getByRole('table', { name: 'Runs' });
  const search = page.getByRole('searchbox', { name: 'Search runs' });
  await page.goto('./');
  await addFolderInUi(page, project);
  await expect(page.getByText('8 runs', { exact: true }).first()).toBeVisible();

  await test.step('a query narrows the table; a bad one says where', async () => {
    await search.fill("params.hidden = 32 and attributes.format = 'lightning-csv'");
    await expect(page.getByText(/^2 runs match/)).toBeVisible();
    await expect(table.getByRole('link', { name: 'version_2', exact: true })).toBeVisible();
    await search.fill('metrics.val_acc >');
    // The mistake is explained under the box; the table keeps the last good query's runs.
    await expect(page.getByRole('banner').getByRole('alert')).toContainText('Expected a value after ">"');
    await expect(page.getByText(/^2 runs match/)).toBeVisible();
    await shot(page, '12-query-error');
    await search.fill("attributes.format = 'lightning-csv'");
    await expect(page.getByText(/^4 runs match/)).toBeVisible();
  });

  await test.step('checkboxes and the space key select; Compare (2) opens both in one chart', async () => {
    const compare = page.getByRole('button', { name: /^Compare \(\d+\)$/ });
    await expect(compare).toBeDisabled();
    await table.getByRole('checkbox', { name: 'Select run version_0' }).check();
    // Keyboard: focus a row, move down to version_2's row and press space.
    const row2 = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'version_2', exact: true }) });
    await row2.focus();
    await page.keyboard.press('Space');
    await expect(table.getByRole('checkbox', { name: 'Select run version_2' })).toBeChecked();
    await expect(row2).toHaveAttribute('aria-selected', 'true');
    await expect(compare).toHaveText('Compare (2)');
    await shot(page, '13-runs-selected');
    await compare.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Compare 2 runs' })).toBeVisible();
    const chart = page.getByRole('img', { name: 'Chart of val_acc' });
    await expect(chart).toHaveAttribute('data-traces', '2');
    await expect(chart.locator('.legend .legendtext')).toHaveText(['version_0', 'version_2']);
  });

  await test.step('a saved view brings back its search', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('textbox', { name: 'View name' }).fill('CSV runs');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await search.fill('');
    await expect(page.getByText(/^8 runs ·/)).toBeVisible();
    await page.getByRole('button', { name: 'Open saved view CSV runs' }).click();
    await expect(search).toHaveValue("attributes.format = 'lightning-csv'");
    await expect(page.getByText(/^4 runs match/)).toBeVisible();
    await shot(page, '14-saved-view');
  });
});

test('a folder dropped on the web UI is copied in and indexed', async ({ page, labdesk }) => {
  const run = labdesk.copyFixture('realruns/lightning_project/lightning_logs/version_4');
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Add a folder or drop one here' })).toBeVisible();

  // What a folder drop hands the page: File objects that know their path inside the folder.
  const files = fs
    .readdirSync(run, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      return { rel: path.relative(run, full).split(path.sep).join('/'), b64: fs.readFileSync(full).toString('base64') };
    });
  expect(files.map((f) => f.rel)).toContain('checkpoints/epoch=3-step=100.ckpt');
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      const file = new File([bytes], f.rel.split('/').pop()!);
      Object.defineProperty(file, 'webkitRelativePath', { value: `dropped_run/${f.rel}` });
      dt.items.add(file);
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, files);
  await expect(page.getByText('1 run', { exact: true }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Runs' }).getByRole('link', { name: 'dropped_run', exact: true })).toBeVisible();
  const sources = page.getByRole('list', { name: 'Sources' });
  await expect(sources).toContainText('dropped_run');
  // The checkpoints came along, byte for byte: the run lists them as models.
  await page.getByRole('table', { name: 'Runs' }).getByRole('link', { name: 'dropped_run', exact: true }).click();
  await page.getByRole('tab', { name: /Files/ }).click();
  await expect(page.getByText('epoch=3-step=100.ckpt').first()).toBeVisible();
  await shot(page, '15-dropped-folder');
});

test('Import a copy… picks a real folder through the browser', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  await page.goto('./');
  await page.getByRole('button', { name: 'Add folder', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a folder' });
  await dialog.getByLabel('Import a copy of a folder').setInputFiles(path.join(project, 'lightning_logs'));
  await expect(dialog).toBeHidden();
  await expect(page.getByText('8 runs', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
});
