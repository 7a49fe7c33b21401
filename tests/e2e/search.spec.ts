/**
 * Issue 12 item 6, the search box: a half-typed query keeps the last good results (its mistake is
 * underlined in the box and explained under it after a pause or on Enter), autocomplete of keys,
 * free text that finds metric names, and a no-match state naming the key no run has.
 */
import { addFolderInUi, call, expect, test } from './labdesk-server';
import { shotAllWays } from './shot-all-ways';

const TB_RUNS = ['lr0.001_bs32', 'lr0.003_bs64', 'lr0.01_bs128', 'lr0.01_bs32', 'lr0.03_bs64', 'lr0.1_bs32'];

test('search: last good results kept, mistake under the box, autocomplete, metric names, unknown keys', async ({ page, labdesk }) => {
  const box = page.getByRole('searchbox', { name: 'Search runs' });
  const runsTable = page.getByRole('table', { name: 'Runs' });
  const banner = page.getByRole('banner');
  const runRow = (name: string) => runsTable.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

  await page.goto('./');
  await addFolderInUi(page, labdesk.copyFixture('realruns/lightning_project'));
  await call(page, 'roots.add', { path: labdesk.copyFixture('realruns/tensorboard_sweep') });
  await expect(runRow('lr0.1_bs32')).toBeVisible();

  await test.step('free text finds the runs that log a metric by its name', async () => {
    await box.fill('loss/train');
    await expect(page.getByText(`${TB_RUNS.length} runs match`, { exact: false })).toBeVisible();
    for (const name of TB_RUNS) await expect(runRow(name)).toBeVisible();
    await expect(runRow('version_0')).toHaveCount(0);
  });

  await test.step('a half-typed query keeps the last good results; the mistake shows after a pause', async () => {
    await box.fill('params.lr < 0.01');
    await expect(page.getByText('4 runs match', { exact: false })).toBeVisible();
    await box.pressSequentially(' and metrics.', { delay: 40 });
    // The table stays, with the last good query's runs, and says so.
    await expect(page.getByText(/showing the runs of the last good search, params\.lr < 0\.01/)).toBeVisible();
    await expect(runsTable).toBeVisible();
    await expect(runsTable.getByRole('row').filter({ has: page.getByRole('link') })).toHaveCount(4);
    const mistake = banner.getByRole('alert');
    await expect(mistake).toContainText('Expected a key after "metrics."');
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).toHaveAccessibleDescription(/Expected a key after "metrics\."/);
    // The rest of the page holds no error box.
    await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
    await shotAllWays(page, '75-search-mistake', async () => {
      await box.press('End');
      await expect(mistake).toBeVisible();
    });
  });

  await test.step('typing on hides the mistake until the next pause; Enter shows it at once', async () => {
    await box.press('End');
    await box.pressSequentially('val_acc >', { delay: 20 });
    await box.press('Enter');
    await expect(banner.getByRole('alert')).toContainText('Expected a value after ">"');
    await box.pressSequentially(' 0.5', { delay: 20 });
    await expect(banner.getByRole('alert')).toHaveCount(0);
  });

  await test.step('autocomplete offers the catalog keys for a prefix, by keyboard', async () => {
    await box.fill('');
    await box.pressSequentially('metrics.val_l', { delay: 30 });
    const suggestions = page.getByRole('listbox', { name: 'Search suggestions' });
    await expect(suggestions.getByRole('option', { name: 'metrics.val_loss', exact: true })).toBeVisible();
    await expect(suggestions.getByRole('option', { name: 'metrics.val_acc', exact: true })).toHaveCount(0);
    await shotAllWays(page, '76-search-autocomplete', async () => {
      await box.fill('');
      await box.pressSequentially('metrics.val_l', { delay: 10 });
      await expect(suggestions).toBeVisible();
    });
    // The theme toggle took focus (closing the list): type again, then pick by keyboard.
    await box.fill('');
    await box.pressSequentially('metrics.val_l', { delay: 30 });
    await expect(suggestions.getByRole('option', { name: 'metrics.val_loss', exact: true })).toBeVisible();
    await box.press('ArrowDown');
    await expect(box).toHaveAttribute('aria-activedescendant', /.+/);
    await box.press('Enter');
    await expect(box).toHaveValue('metrics.val_loss');
    await box.pressSequentially(' < 10', { delay: 20 });
    await expect(page.getByText('8 runs match', { exact: false })).toBeVisible();
  });

  await test.step('field prefixes and statuses are offered too', async () => {
    await box.fill('');
    await box.pressSequentially('par', { delay: 30 });
    await page.getByRole('option', { name: 'params.', exact: true }).click();
    await expect(box).toHaveValue('params.');
    await box.fill('');
    await box.pressSequentially("status = 'FA", { delay: 30 });
    await expect(page.getByRole('option', { name: 'FAILED', exact: true })).toBeVisible();
    await box.press('Escape');
    await box.fill('');
    await box.pressSequentially('params.hidden = ', { delay: 30 });
    await expect(page.getByRole('option', { name: '32', exact: true })).toBeVisible();
    await expect(page.getByRole('option', { name: '64', exact: true })).toBeVisible();
    await shotAllWays(page, '78-search-values', async () => {
      await box.fill('');
      await box.pressSequentially('params.hidden = ', { delay: 10 });
      await expect(page.getByRole('option', { name: '64', exact: true })).toBeVisible();
    });
    // The theme toggle took focus (closing the list): type again.
    await box.fill('');
    await box.pressSequentially('params.hidden = ', { delay: 30 });
    await page.getByRole('option', { name: '64', exact: true }).click();
    await expect(box).toHaveValue("params.hidden = '64' ");
  });

  await test.step('a structured query with no hits names the key no run has, with the nearest one', async () => {
    await box.fill('metrics.val_los > 0');
    await expect(page.getByText('No run has metrics.val_los — did you mean metrics.val_loss?')).toBeVisible();
    await shotAllWays(page, '77-search-unknown-key', async () => {
      await expect(page.getByText('No run has metrics.val_los — did you mean metrics.val_loss?')).toBeVisible();
    });
    await box.fill('metrics.val_loss > 100');
    await expect(page.getByText(/exists in the catalog, but no run meets all of its conditions/)).toBeVisible();
  });
});
