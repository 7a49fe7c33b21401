/**
 * Issue 12 item 4, the runs table by keyboard on real fixture runs: a skip link as the first Tab
 * stop, one tab stop for the header row and one for the rows, j/k and arrows before any row has
 * focus, space selects, Enter opens, `/` and the search box hand focus to the results, and Back
 * from a run page puts focus (and scroll) back on the row it was opened from.
 */
import type { Page } from '@playwright/test';
import { call, expect, shot, test } from './labdesk-server';

/**
 * Screenshots at 1440 and 768 px, light and dark (the system's scheme, which the app follows: the
 * theme button would take the focus these pictures are about), then back to 1440 light.
 */
async function shotAllWays(page: Page, name: string, height = 900) {
  for (const width of [1440, 768]) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
      await shot(page, `${name}-${width}${scheme === 'dark' ? '-dark' : ''}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height });
}

/** What has focus, as a user would name it: a row's run name, or a control's accessible label. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    if (el.tagName === 'TR') return `row ${el.querySelector('a')?.textContent ?? el.getAttribute('aria-rowindex')}`;
    return `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`;
  });

test('keyboard: skip link, one tab stop per header and rows, j/k before focus, search to results, Back to the row', async ({ page, labdesk }) => {
  await call(page, 'roots.add', { path: labdesk.copyFixture('realruns/lightning_project') });
  await call(page, 'roots.add', { path: labdesk.copyFixture('realruns/tensorboard_sweep') });
  const table = page.getByRole('table', { name: 'Runs' });
  const rows = table.locator('tbody tr[aria-rowindex]');
  const search = page.getByRole('searchbox', { name: 'Search runs' });
  // Indexed before the page opens, so every step starts from the same 14 rows.
  await expect
    .poll(async () => (await call<{ total: number }>(page, 'runs.list', { offset: 0, limit: 1 })).total, { timeout: 60_000 })
    .toBe(14);
  await page.goto('./');
  await expect(page.getByRole('contentinfo').getByText('14 runs', { exact: true })).toBeVisible();
  await expect(rows).toHaveCount(14);

  await test.step('the first Tab stop is a visible "Skip to runs" link, which lands on the first row', async () => {
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to runs' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await shotAllWays(page, '63-keyboard-skip-link');
    await page.keyboard.press('Enter');
    await expect(rows.first()).toBeFocused();
  });

  await test.step('Tab reaches the rows in a few stops: one for the header row, one for the rows', async () => {
    await page.goto('./');
    await expect(rows).toHaveCount(14);
    let stops = 0;
    while (stops < 40 && !(await focused(page)).startsWith('row ')) {
      await page.keyboard.press('Tab');
      stops++;
    }
    expect(stops).toBeLessThan(30);
    await expect(rows.first()).toBeFocused();
    // Back one stop is the header row's one button; arrows move along the header, not Tab.
    await page.keyboard.press('Shift+Tab');
    const nameSort = table.getByRole('columnheader', { name: 'Name', exact: true }).getByRole('button');
    await expect(nameSort).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(table.getByRole('columnheader', { name: 'Status', exact: true }).getByRole('button')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(nameSort).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(rows.first()).toBeFocused();
    // The run names are links, but not extra Tab stops: the next stop is past the table.
    await page.keyboard.press('Tab');
    expect(await focused(page)).not.toMatch(/^row |^a version_|^a lr/);
  });

  await test.step('j/k and the arrows move through rows even when nothing has focus', async () => {
    await page.goto('./');
    await expect(rows).toHaveCount(14);
    expect(await focused(page)).toBe('body');
    await page.keyboard.press('j');
    await expect(rows.nth(0)).toBeFocused();
    await page.keyboard.press('j');
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(2)).toBeFocused();
    await page.keyboard.press('k');
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(rows.nth(0)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
  });

  await test.step('space selects the row; Enter opens it; Back puts focus on it again', async () => {
    const row = rows.nth(1);
    const name = (await row.getByRole('link').textContent()) ?? '';
    await page.keyboard.press(' ');
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('button', { name: 'Compare (1)' })).toBeVisible();
    await shotAllWays(page, '63-keyboard-row-selected');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.goBack();
    await expect(table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) })).toBeFocused();
  });

  await test.step('Back restores the scroll too: a row far down, in a short window', async () => {
    await page.setViewportSize({ width: 1440, height: 420 });
    await page.keyboard.press('End');
    const last = rows.last();
    await expect(last).toBeFocused();
    const name = (await last.getByRole('link').textContent()) ?? '';
    const scrolled = await page.locator('.ld-grid-scroll').evaluate((el) => el.scrollTop);
    expect(scrolled).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.goBack();
    const back = table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(back).toBeFocused();
    await expect(back).toBeInViewport();
    expect(await page.locator('.ld-grid-scroll').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await shotAllWays(page, '64-keyboard-back-to-row', 420);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('/ focuses search; ArrowDown or Enter there moves to the results; an open suggestion list keeps its arrows', async () => {
    await page.keyboard.press('/');
    await expect(search).toBeFocused();
    await search.fill('lr0.01');
    await expect(rows).toHaveCount(2);
    await page.keyboard.press('ArrowDown');
    await expect(rows.first()).toBeFocused();
    await expect(rows.first().getByRole('link')).toHaveText(/^lr0\.01_/);

    await page.keyboard.press('/');
    await expect(search).toBeFocused();
    // Enter goes to the results only once typing has paused (ERROR_PAUSE_MS, 600 ms): right after
    // typing it first shows any mistake. A fast machine gets here sooner than that after the fill.
    await page.waitForTimeout(700);
    await page.keyboard.press('Enter');
    await expect(rows.first()).toBeFocused();

    // With suggestions open, ArrowDown moves in the list and focus stays in the box.
    await page.keyboard.press('/');
    await search.fill('');
    await search.pressSequentially('par');
    const list = page.getByRole('listbox');
    await expect(list.getByRole('option', { name: 'params.' })).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(search).toBeFocused();
    await expect(search).toHaveAttribute('aria-activedescendant', /.+/);
    await page.keyboard.press('Escape');
    await expect(list).toBeHidden();
    await page.keyboard.press('ArrowDown');
    await expect(rows.first()).toBeFocused();
  });
});
