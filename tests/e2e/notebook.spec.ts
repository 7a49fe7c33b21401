/**
 * Notebook runs on their run page: the nbconvert-executed churn notebook shows its figure in the
 * gallery (and larger in a modal), the Notebook tab renders its cells and outputs read-only; the
 * failed papermill run shows its exception, failing cell and traceback. Web mode, so "View
 * notebook" switches to the Notebook tab (the desktop app opens the file instead).
 */
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { call, expect, shot, test } from './labdesk-server';



/** Adds a folder as a root and waits until the catalog holds `runs` runs in all; returns run ids by name. */
async function addRoot(page: Page, folder: string, runs: number): Promise<Map<string, string>> {
  await call(page, 'roots.add', { path: folder });
  let rows: { id: string; name: string }[] = [];
  await expect
    .poll(async () => {
      rows = (await call<{ rows: typeof rows }>(page, 'runs.list', { limit: 100 })).rows;
      return rows.length;
    })
    .toBe(runs);
  return new Map(rows.map((r) => [r.name, r.id]));
}

/** The image has loaded and decoded to real pixels. */
const naturalWidth = (img: Locator) => img.evaluate((el) => (el as HTMLImageElement).complete ? (el as HTMLImageElement).naturalWidth : 0);

test('notebook runs: figures, the read-only notebook, the failing cell', async ({ page, labdesk }) => {
  await page.goto('./');
  const notebooks = labdesk.copyFixture('realruns/notebooks');
  await addRoot(page, notebooks, 2);
  const ids = await addRoot(page, labdesk.copyFixture('public/notebooks/Kay-YOSHI__papermill__papermill-success-and-failed-run'), 4);

  await test.step('the executed notebook: params, metrics and the figure gallery on the Overview', async () => {
    await page.goto(`./#/runs/${ids.get('train_churn.ipynb')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'train_churn.ipynb' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Notebook' })).toBeVisible();
    // The header shows the notebook's real path, and which execution of it this run is apart from it.
    await expect(page.getByText(path.join(notebooks, 'train_churn.ipynb'), { exact: true })).toBeVisible();
    await expect(page.getByText('Execution', { exact: true })).toBeVisible();
    await expect(page.getByText('2026-11-22T16:39:25.540473Z', { exact: true })).toBeVisible();
    const params = page.getByRole('table', { name: 'Params' });
    await expect(params.getByRole('row', { name: 'C 1.0' })).toBeVisible();
    await expect(params.getByRole('row', { name: 'max_iter 200' })).toBeVisible();
    await expect(page.getByText('Kernel Python 3 · Python 3.11.2 · 6 cells (5 code, 5 ran)')).toBeVisible();

    const gallery = page.getByRole('region', { name: 'Figures' });
    const img = gallery.getByRole('img', { name: 'Figure from cell 4' });
    await expect(img).toBeVisible();
    await expect.poll(() => naturalWidth(img)).toBeGreaterThan(0);
    await expect(gallery.getByText('Cell 4', { exact: true })).toBeVisible();
    await expect(gallery).toContainText('PNG · 9.7 kB');
    await gallery.scrollIntoViewIfNeeded();
    await shot(page, '50-notebook-run');

    await gallery.getByRole('button', { name: 'Enlarge figure from cell 4' }).click();
    const dialog = page.getByRole('dialog', { name: 'Figure from cell 4' });
    const large = dialog.getByRole('img', { name: 'Figure from cell 4' });
    await expect.poll(() => naturalWidth(large)).toBeGreaterThan(0);
    // Shown at least as large as the thumbnail.
    expect((await large.boundingBox())!.width).toBeGreaterThanOrEqual((await img.boundingBox())!.width);
    await expect(dialog.getByRole('link', { name: 'Download' })).toHaveAttribute('download', 'train_churn-cell4-output0.png');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  await test.step('"View notebook" shows the read-only rendering: markdown, code cells, outputs', async () => {
    await page.getByRole('button', { name: 'View notebook' }).click();
    await expect(page.getByRole('tab', { name: 'Notebook' })).toHaveAttribute('aria-selected', 'true');
    const notebook = page.getByRole('region', { name: 'Notebook' });
    await expect(notebook.getByRole('article')).toHaveCount(6);
    await expect(notebook.getByRole('article', { name: 'Cell 0 (markdown)' }).getByRole('heading', { name: 'Churn model' })).toBeVisible();
    const params = notebook.getByRole('article', { name: 'Cell 1 (In [1])' });
    await expect(params).toContainText('In [1]:');
    await expect(params).toContainText('parameters');
    await expect(params.locator('pre')).toHaveText('C = 1.0\nmax_iter = 200\nseed = 0');
    await expect(notebook.getByRole('article', { name: 'Cell 3 (In [3])' })).toContainText('accuracy=0.9267');
    await expect(notebook.getByRole('article', { name: 'Cell 5 (In [5])' })).toContainText("{'accuracy': 0.9266666666666666}");
    const figure = notebook.getByRole('article', { name: 'Cell 4 (In [4])' }).getByRole('img', { name: 'Figure from cell 4' });
    await figure.scrollIntoViewIfNeeded();
    await expect.poll(() => naturalWidth(figure)).toBeGreaterThan(0);
  });

  await test.step('the failed papermill run: exception, failing cell and traceback on the Overview', async () => {
    await page.goto(`./#/runs/${ids.get('run_all_1_202309.ipynb')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'run_all_1_202309.ipynb' })).toBeVisible();
    const alert = page.getByRole('alert', { name: 'ValueError: No kernel name found in notebook and no override provided.' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('Raised in cell 5 (In [4]).');
    const traceback = alert.getByLabel('Traceback');
    await expect(traceback).toBeVisible();
    await expect(traceback).toContainText('ValueError                                Traceback (most recent call last)');
    await expect(traceback).toContainText('----> 1 pm.execute_notebook(');
    await shot(page, '51-notebook-failed');

    // Collapsible.
    await alert.getByRole('button', { name: 'Hide traceback' }).click();
    await expect(traceback).toBeHidden();
    await expect(alert.getByRole('button', { name: 'Show traceback' })).toHaveAttribute('aria-expanded', 'false');
    await alert.getByRole('button', { name: 'Show traceback' }).click();
    await expect(traceback).toBeVisible();

    // "Show in notebook" opens the Notebook tab at the failing cell.
    await alert.getByRole('button', { name: 'Show in notebook' }).click();
    await expect(page.getByRole('tab', { name: 'Notebook' })).toHaveAttribute('aria-selected', 'true');
    const failing = page.getByRole('article', { name: 'Cell 5 (In [4])' });
    await expect(failing).toBeFocused();
    await expect(failing.getByRole('group', { name: 'Error: ValueError' })).toContainText('ValueError: No kernel name found in notebook and no override provided.');
    await expect(page.getByRole('article', { name: 'Cell 0 (markdown)' })).toContainText("An Exception was encountered at 'In [4]'.");
  });

  await test.step('dark theme: the rendered notebook', async () => {
    await page.goto(`./#/runs/${ids.get('train_churn.ipynb')}/notebook`);
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    const figure = page.getByRole('article', { name: 'Cell 4 (In [4])' }).getByRole('img', { name: 'Figure from cell 4' });
    await expect.poll(() => naturalWidth(figure)).toBeGreaterThan(0);
    await page.getByRole('article', { name: 'Cell 3 (In [3])' }).scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await shot(page, '52-notebook-rendered-dark');
  });

  await test.step('a successful papermill run has the Notebook tab; the draft says it never ran', async () => {
    await page.goto(`./#/runs/${ids.get('base_10.ipynb')}`);
    await expect(page.getByRole('tab', { name: 'Notebook' })).toBeVisible();
    // The draft never ran: said so, and no figures.
    await page.goto(`./#/runs/${ids.get('draft_not_run.ipynb')}`);
    await expect(page.getByRole('alert', { name: 'Never executed' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Figures' })).toHaveCount(0);
  });
});
