/**
 * Issue 12 item 2: start times and durations come from what each tool recorded; when none was
 * recorded the table and the run page show "—" with why (never a copy time or "0.0 s"), and such
 * runs sort last in both directions. The fixtures are copied, so their file dates are copy dates.
 */
import type { Locator, Page } from '@playwright/test';
import { call, expect, test } from './labdesk-server';
import { shotAllWays } from './shot-all-ways';

const HYDRA_RUN = '2024-05-24/09-40-56';
const LIGHTNING_NOTE = "Lightning's CSVLogger records no times, and its files' dates are when they were copied, not when the run ran";
const KERAS_NOTE = "Keras's CSVLogger records no times, and its files' dates are when they were copied, not when the run ran";

/** The names in the runs table, top to bottom. */
async function names(page: Page, table: Locator): Promise<string[]> {
  return table.getByRole('row').filter({ has: page.getByRole('link') }).evaluateAll((rows) =>
    rows.map((r) => r.querySelector('a')?.textContent?.trim() ?? ''),
  );
}

/** A run's cell under a column, by the column header's position. */
async function cellOf(page: Page, table: Locator, run: string, column: string): Promise<Locator> {
  // The last header row holds one header per column (the one above groups params and metrics).
  const headers = await table.locator('thead tr').last().getByRole('columnheader').allInnerTexts();
  const index = headers.findIndex((h) => h.trim() === column);
  expect(index, `column ${column}`).toBeGreaterThanOrEqual(0);
  return table.getByRole('row').filter({ has: page.getByRole('link', { name: run, exact: true }) }).getByRole('cell').nth(index);
}

test('run times: recorded where the tool recorded them, "—" with why where not, unknowns last', async ({ page, labdesk }) => {
  await page.goto('./');
  for (const f of ['public/hydra', 'public/keras', 'public/wandb-offline-sweep', 'realruns/hf_trainer', 'realruns/lightning_project']) {
    await call(page, 'roots.add', { path: labdesk.copyFixture(f) });
  }
  const table = page.getByRole('table', { name: 'Runs' });
  const box = page.getByRole('searchbox', { name: 'Search runs' });

  await test.step('Hydra from its folder name and job log, HF from its event file and train_runtime, Lightning unknown', async () => {
    await box.fill(`format = 'hf-trainer' or format = 'lightning-csv' or name = '${HYDRA_RUN}'`);
    await expect(page.getByText('6 runs match', { exact: false })).toBeVisible();
    await expect(await cellOf(page, table, HYDRA_RUN, 'Duration')).toHaveText('7 h 13 m');
    const hydraStart = (await cellOf(page, table, HYDRA_RUN, 'Started')).locator('span[title]');
    // The folder name is the local time of the machine that ran it, read as this machine's.
    const exact = await page.evaluate(() =>
      new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
        new Date(2024, 4, 24, 9, 40, 56),
      ),
    );
    await expect(hydraStart).toHaveAttribute('title', exact);
    await expect(await cellOf(page, table, 'bert-tiny-cls', 'Duration')).toHaveText('1.6 s');
    const unknownStart = await cellOf(page, table, 'version_0', 'Started');
    await expect(unknownStart).toHaveText('—');
    await expect(await cellOf(page, table, 'version_0', 'Duration')).toHaveText('—');
    await expect(table).not.toContainText('0.0 s');
    await unknownStart.getByText('—').hover();
    await expect(page.getByRole('tooltip')).toHaveText(LIGHTNING_NOTE);
    await shotAllWays(page, '65-run-times-table', async () => {
      await unknownStart.getByText('—').hover();
      await expect(page.getByRole('tooltip')).toBeVisible();
    });
  });

  await test.step('unknown start times sort last, newest first and oldest first', async () => {
    const unknown = ['version_0', 'version_2', 'version_4', 'version_6'];
    const started = table.getByRole('columnheader', { name: 'Started' });
    await expect(started).toHaveAttribute('aria-sort', 'descending');
    expect((await names(page, table)).slice(0, 2)).toEqual(['bert-tiny-cls', HYDRA_RUN]);
    expect((await names(page, table)).slice(2).sort()).toEqual(unknown);
    await started.getByRole('button').click();
    await expect(started).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(async () => (await names(page, table)).slice(0, 2)).toEqual([HYDRA_RUN, 'bert-tiny-cls']);
    expect((await names(page, table)).slice(2).sort()).toEqual(unknown);
    // Duration too: the unknown ones after the 7 h and the 1.6 s run, both ways.
    const duration = table.getByRole('columnheader', { name: 'Duration' });
    await duration.getByRole('button').click();
    await expect.poll(async () => (await names(page, table)).slice(0, 2)).toEqual([HYDRA_RUN, 'bert-tiny-cls']);
    await duration.getByRole('button').click();
    await expect.poll(async () => (await names(page, table)).slice(0, 2)).toEqual(['bert-tiny-cls', HYDRA_RUN]);
    expect((await names(page, table)).slice(2).sort()).toEqual(unknown);
  });

  await test.step('W&B logs with no run record are status unknown, with no duration', async () => {
    await box.fill("format = 'wandb'");
    await expect(page.getByText(/\d+ runs match/)).toBeVisible();
    for (const run of ['yg9a9n72', 'dou77108']) {
      await expect(await cellOf(page, table, run, 'Status')).toHaveText(/unknown/i);
      await expect(await cellOf(page, table, run, 'Duration')).toHaveText('—');
    }
  });

  await test.step('the run page says why a Keras run has no times', async () => {
    await box.fill("format = 'keras-csv' and name = 'log'");
    await table.getByRole('link', { name: 'log', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'log' })).toBeVisible();
    const started = page.getByLabel(`start time unknown: ${KERAS_NOTE}`);
    await expect(started).toHaveText('—');
    await expect(page.getByLabel(`duration unknown: ${KERAS_NOTE}`)).toHaveText('—');
    await started.hover();
    await expect(page.getByRole('tooltip')).toHaveText(KERAS_NOTE);
    await shotAllWays(page, '66-run-times-run-page', async () => {
      await started.hover();
      await expect(page.getByRole('tooltip')).toBeVisible();
    });
  });
});
