/**
 * Jobs in the status bar: indexing a big generated tree shows as a job with its progress; its
 * cancel button stops the pass, the catalog is as before it (no runs, no problems, no root left
 * "indexing"), and indexing again finishes with every run. Two passes at once: the newest, and
 * "+1 more" listing both.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { JobInfo, ProblemInfo, RootInfo } from '../../src/api/contract';
import { writeLightningTree } from '../../src/bench/lightning-tree';
import { addFolderInUi, call, expect, shot, test } from './labdesk-server';
import { shotEachWay } from './shot-all-ways';

// Thousands of runs: a pass takes long enough to look at it, take screenshots and cancel it (10,000
// take about 20 s on an idle 2-core machine; 6,000 were sometimes read before the cancel).
const BIG = 10_000;
const SMALL = 3000;

async function indexAgain(page: Page, folder: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${folder}` }).click();
  await page.getByRole('menuitem', { name: 'Index again' }).click();
}

async function expectCatalogAsBefore(page: Page, folders: string[]): Promise<void> {
  const roots = await call<RootInfo[]>(page, 'roots.list', {});
  expect(roots.map((r) => ({ path: r.path, status: r.status, runCount: r.runCount, lastIndexedAt: r.lastIndexedAt }))).toEqual(
    folders.map((f) => ({ path: f, status: 'stopped', runCount: 0, lastIndexedAt: null })),
  );
  expect(await call<ProblemInfo[]>(page, 'problems.list', {})).toEqual([]);
  expect(await call(page, 'catalog.stats', {})).toMatchObject({ runs: 0, experiments: 0, problems: 0 });
}

test('an index pass is a job in the status bar: progress, cancel, a consistent catalog, then a full pass', async ({ page, labdesk }) => {
  test.setTimeout(300_000);
  const big = path.join(labdesk.dir, 'sweep-big');
  const small = path.join(labdesk.dir, 'sweep-small');
  writeLightningTree(big, BIG, 20);
  writeLightningTree(small, SMALL, 20);
  const statusBar = page.getByRole('contentinfo');
  const jobs = statusBar.getByRole('group', { name: 'Running jobs' });
  const sources = page.getByRole('list', { name: 'Sources' });

  await page.goto('./');
  await addFolderInUi(page, big);
  await test.step('the pass shows its progress: runs read of all, with a rate', async () => {
    await expect(jobs.getByRole('progressbar', { name: `Indexing ${big}` })).toBeVisible();
    await expect(jobs).toContainText(/Indexing sweep-big · [\d,]+ \/ 10,000 runs · [\d,]+ runs\/s/, { timeout: 60_000 });
    await shotEachWay(page, '30-jobs-status-bar');
  });

  await test.step('its cancel button stops it; the catalog is as before the pass', async () => {
    await jobs.getByRole('button', { name: `Cancel ${big}` }).click();
    await expect(jobs).toHaveCount(0);
    await expect(sources.getByRole('listitem').filter({ hasText: 'sweep-big' })).toContainText('stopped');
    await expect(statusBar.getByText('0 runs', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Indexing was stopped' })).toBeVisible();
    // The empty state offers the one action that fixes it.
    await expect(page.getByRole('main').getByRole('button', { name: 'Index again' })).toBeVisible();
    await shot(page, '32-jobs-cancelled');
    await expectCatalogAsBefore(page, [big]);
    expect((await call<JobInfo[]>(page, 'jobs.list', {})).map((j) => [j.label, j.state])).toEqual([[big, 'cancelled']]);
  });

  await test.step('two passes: the newest, and "+1 more" listing both, each with its cancel button', async () => {
    await page.getByRole('button', { name: 'Add folder…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a folder' });
    await dialog.getByRole('textbox', { name: 'Folder path' }).fill(small);
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(dialog).toBeHidden();
    await indexAgain(page, big);
    const more = jobs.getByRole('button', { name: '+1 more' });
    await expect(more).toBeVisible();
    // By keyboard: the button opens the list, Tab reaches each cancel button.
    await more.focus();
    await page.keyboard.press('Enter');
    const list = page.getByRole('dialog', { name: 'Running jobs (2)' });
    await expect(list.getByRole('progressbar')).toHaveCount(2);
    await expect(list.getByRole('button', { name: `Cancel ${big}` })).toBeVisible();
    await shot(page, '31-jobs-popover');
    await list.getByRole('button', { name: `Cancel ${small}` }).focus();
    await page.keyboard.press('Enter');
    await expect(jobs.getByRole('progressbar', { name: `Indexing ${small}` })).toHaveCount(0);
    await expect(more).toHaveCount(0);
    await jobs.getByRole('button', { name: `Cancel ${big}` }).click();
    await expect(jobs).toHaveCount(0);
    await expect(sources.getByRole('listitem').filter({ hasText: 'sweep-small' })).toContainText('stopped');
    await expectCatalogAsBefore(page, [big, small]);
  });

  await test.step('Index again finishes with every run', async () => {
    await indexAgain(page, big);
    await expect(jobs.getByRole('progressbar', { name: `Indexing ${big}` })).toBeVisible();
    await expect(statusBar.getByText('10,000 runs', { exact: true })).toBeVisible({ timeout: 180_000 });
    await expect(jobs).toHaveCount(0);
    const roots = await call<RootInfo[]>(page, 'roots.list', {});
    expect(roots.find((r) => r.path === big)).toMatchObject({ status: 'live', runCount: BIG });
    expect(await call<ProblemInfo[]>(page, 'problems.list', {})).toEqual([]);
    expect((await call<JobInfo[]>(page, 'jobs.list', {}))[0]).toMatchObject({ label: big, state: 'done', done: BIG, total: BIG });
  });
});
