/**
 * The runs table at scale: a catalog of many runs (100,000 with LABDESK_SCALE_RUNS=100000; 5,000
 * by default to keep CI short), the time to the first rows on screen and to the last row after
 * jumping to the end. Prints the figures; asserts what a user sees, not how fast.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot, startServe, stopServe } from './labdesk-server';

const RUNS = Number(process.env.LABDESK_SCALE_RUNS || 5000);

test(`the runs table with ${RUNS.toLocaleString('en')} runs: first render and scroll to the end`, async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'labdesk-scale-'));
  const db = path.join(dir, 'catalog.db');
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  execFileSync(tsx, [path.join(repoRoot, 'tests/e2e/big-catalog.ts'), db, String(RUNS)], { cwd: repoRoot, stdio: 'inherit' });
  const { child, url } = startServe(db);
  try {
    const base = await url;
    const started = Date.now();
    await page.goto(base);
    const table = page.getByRole('table', { name: 'Runs' });
    await expect(page.getByText(new RegExp(`^${RUNS.toLocaleString('en')} runs ·`))).toBeVisible({ timeout: 60_000 });
    await expect(table.getByRole('link').first()).toBeVisible();
    const firstRenderMs = Date.now() - started;

    // Newest first: the oldest run (run-000000's start time is the same for all, so path order) is last.
    await table.getByRole('row').nth(2).focus();
    const jumped = Date.now();
    await page.keyboard.press('End');
    const lastRow = table.locator(`tr[aria-rowindex="${RUNS + 2}"]`);
    await expect(lastRow.getByRole('link')).toBeVisible({ timeout: 30_000 });
    const scrollToEndMs = Date.now() - jumped;
    await page.screenshot({ path: path.join(repoRoot, 'tests/e2e/screenshots/40-runs-at-scale-end.png') });
    console.log(`[scale] ${RUNS} runs: first render ${firstRenderMs} ms (page load to first row), End → last row ${scrollToEndMs} ms`);
  } finally {
    await stopServe(child);
    rmSync(dir, { recursive: true, force: true });
  }
});
