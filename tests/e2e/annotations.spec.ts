/**
 * A user's annotations on a run: rename, star, tag, a markdown note and an experiment note, all
 * surviving the run being read again and the folder being removed and re-added; then archiving.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RootInfo } from '../../src/api/contract';
import { addFolderInUi, call, expect, shot, test } from './labdesk-server';


const NOTE = [
  '**best** so far: the wider net with lr 0.02.',
  '',
  '- val_acc still rising at the last epoch',
  '- compare with the [Lightning docs](https://lightning.ai/docs) on schedulers',
  '',
  'Raw HTML stays text: <b>raw</b>',
].join('\n');

test('annotate a run and its experiment; the annotations survive re-indexing and re-adding the folder', async ({ page, labdesk }) => {
  const project = labdesk.copyFixture('realruns/lightning_project');
  const heading = page.getByRole('heading', { level: 1 });
  const noteSection = page.getByRole('region', { name: 'Note' });
  const tags = page.getByRole('combobox', { name: 'Tags' }).or(page.getByRole('textbox', { name: 'Tags' }));

  await test.step('add the folder and open a run', async () => {
    await page.goto('./');
    await addFolderInUi(page, project);
    await expect(page.getByRole('contentinfo').getByText('8 runs', { exact: true })).toBeVisible();
    await page.getByRole('table', { name: 'Runs' }).getByRole('link', { name: 'version_0', exact: true }).click();
    await expect(heading).toHaveText('version_0');
  });

  await test.step('rename: Esc cancels, Enter saves, and the original name is shown', async () => {
    await page.getByRole('button', { name: 'Rename run' }).click();
    const input = page.getByRole('textbox', { name: 'Run name' });
    await expect(input).toBeFocused();
    await input.fill('not this');
    await input.press('Escape');
    await expect(heading).toHaveText('version_0');
    await expect(page.getByRole('button', { name: 'Rename run' })).toBeFocused();
    await page.keyboard.press('Enter');
    await input.fill('wide net');
    await input.press('Enter');
    await expect(heading).toHaveText('wide net');
    await expect(page.getByText('originally version_0')).toBeVisible();
  });

  await test.step('star and tag', async () => {
    await page.getByRole('button', { name: 'Star run' }).click();
    const unstar = page.getByRole('button', { name: 'Unstar run' });
    await expect(unstar).toHaveAttribute('aria-pressed', 'true');
    await tags.fill('baseline');
    await tags.press('Enter');
    await tags.fill('wide');
    await tags.press('Enter');
    await expect(page.getByRole('button', { name: 'Remove tag wide' })).toBeVisible();
    await page.getByRole('button', { name: 'Remove tag wide' }).click();
    await expect(page.getByRole('button', { name: 'Remove tag wide' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Remove tag baseline' })).toBeVisible();
  });

  await test.step('a markdown note, rendered safely', async () => {
    await noteSection.getByRole('button', { name: 'Add note' }).click();
    await noteSection.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await noteSection.getByRole('button', { name: 'Save' }).click();
    await expect(noteSection.locator('strong')).toHaveText('best');
    const link = noteSection.getByRole('link', { name: /Lightning docs/ });
    await expect(link).toHaveAttribute('href', 'https://lightning.ai/docs');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(noteSection.getByText('Raw HTML stays text: <b>raw</b>')).toBeVisible();
    await expect(noteSection.locator('b')).toHaveCount(0);
  });

  await test.step('an experiment note, from the experiment name', async () => {
    await page.getByRole('button', { name: /^lightning_logs/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Experiment notes' });
    await dialog.getByRole('button', { name: 'Add experiment note' }).click();
    await dialog.getByRole('textbox', { name: 'Experiment note' }).fill('# Width sweep\nCSV and TensorBoard loggers side by side.');
    await dialog.getByRole('textbox', { name: 'Experiment note' }).press('Control+Enter');
    await expect(dialog.getByRole('heading', { name: 'Width sweep' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Rename experiment' }).click();
    await dialog.getByRole('textbox', { name: 'Experiment name' }).fill('Width sweep, May');
    await dialog.getByRole('textbox', { name: 'Experiment name' }).press('Enter');
    await expect(dialog.getByRole('heading', { name: 'Width sweep, May' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: /^Width sweep, May/ })).toBeVisible();
  });

  await test.step('the run is read again after its metrics file grows', async () => {
    fs.appendFileSync(path.join(project, 'lightning_logs/version_0/metrics.csv'), '4,124,,,0.9712,0.081\r\n');
    await expect(page.getByRole('table', { name: 'Metric summaries' })).toContainText('0.9712', { timeout: 15_000 });
    await expect(heading).toHaveText('wide net');
  });

  await test.step('the folder is removed and added again: every indexed row is rebuilt', async () => {
    const [root] = await call<RootInfo[]>(page, 'roots.list', {});
    expect(await call(page, 'roots.remove', { id: root.id })).toEqual({ removed: true });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'This run is not in the catalog' })).toBeVisible();
    await call(page, 'roots.add', { path: project });
    await expect.poll(async () => (await call<RootInfo[]>(page, 'roots.list', {}))[0]?.runCount, { timeout: 30_000 }).toBe(8);
    await page.reload();
  });

  await test.step('after a reload everything is still there', async () => {
    await expect(heading).toHaveText('wide net');
    await expect(page.getByText('originally version_0')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Unstar run' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('button', { name: 'Remove tag baseline' })).toBeVisible();
    await expect(noteSection.locator('strong')).toHaveText('best');
    await expect(page.getByRole('table', { name: 'Metric summaries' })).toContainText('0.9712');
    await page.getByRole('button', { name: /^Width sweep, May/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Experiment notes' });
    await expect(dialog.getByRole('heading', { name: 'Width sweep', exact: true })).toBeVisible();
    await expect(dialog.getByText('originally lightning_logs')).toBeVisible();
    // Esc in the editor cancels the edit; the next Esc closes the dialog.
    await dialog.getByRole('button', { name: 'Edit experiment note' }).click();
    await dialog.getByRole('textbox', { name: 'Experiment note' }).fill('discarded');
    await page.keyboard.press('Escape');
    await expect(dialog.getByRole('textbox', { name: 'Experiment note' })).toHaveCount(0);
    await expect(dialog.getByText('CSV and TensorBoard loggers side by side.')).toBeVisible();
    await shot(page, '32-experiment-notes');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // Focus went back to the experiment button; a clean picture without its focus ring.
    await expect(page.getByRole('button', { name: /^Width sweep, May/ })).toBeFocused();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    await shot(page, '30-run-annotations');
  });

  await test.step('the runs table shows the new name and star', async () => {
    await page.getByRole('link', { name: 'All runs' }).click();
    const runsTable = page.getByRole('table', { name: 'Runs' });
    await expect(runsTable.getByRole('link', { name: 'wide net', exact: true })).toBeVisible();
    await expect(runsTable.getByRole('link', { name: 'version_0', exact: true })).toHaveCount(0);
    await runsTable.getByRole('link', { name: 'wide net', exact: true }).click();
  });

  await test.step('archive: hidden from the runs table, restored from the run page (dark theme)', async () => {
    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    await expect(page.getByText('Archived', { exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'All runs' }).click();
    const runsTable = page.getByRole('table', { name: 'Runs' });
    await expect(runsTable.getByRole('link', { name: 'version_2', exact: true })).toBeVisible();
    await expect(runsTable.getByRole('link', { name: 'wide net', exact: true })).toHaveCount(0);
    await page.goBack();
    await expect(heading).toHaveText('wide net');
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.mouse.move(0, 0);
    await shot(page, '31-run-annotations-dark');
    await page.getByRole('button', { name: 'Unarchive', exact: true }).click();
    await expect(page.getByText('Archived', { exact: true })).toHaveCount(0);
  });
});
