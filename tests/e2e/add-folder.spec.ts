/**
 * Adding folders that Labdesk refuses or wants confirmed: a system folder is refused with what to
 * add instead; a whole home folder is added only after "Add anyway".
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot, startServe, stopServe } from './labdesk-server';

test('a system folder is refused; a home folder is added after Add anyway', async ({ page }) => {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'labdesk-e2e-home-')));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  cpSync(path.resolve(repoRoot, '../shared/fixtures/realruns/lightning_project'), path.join(home, 'lightning_project'), { recursive: true });
  // The catalog lives outside the home folder so that this test sees only the fixture's runs.
  const { child, url } = startServe(path.join(dir, 'catalog.db'), { HOME: home });
  try {
    await page.goto(await url);
    const dialog = page.getByRole('dialog', { name: 'Add a folder' });
    const alert = dialog.getByRole('alert');

    await page.getByRole('button', { name: 'Add folder', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Folder path' }).fill('/proc');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(alert).toContainText('/proc is a system folder; Labdesk does not index it.');
    await expect(alert.getByRole('button', { name: 'Add anyway' })).toHaveCount(0);

    await dialog.getByRole('textbox', { name: 'Folder path' }).fill(home);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(alert).toContainText(`${home} is a home folder`);
    await page.screenshot({ path: path.join(repoRoot, 'tests/e2e/screenshots/16-add-home-folder.png') });
    await alert.getByRole('button', { name: 'Add anyway' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('contentinfo').getByText('8 runs', { exact: true })).toBeVisible({ timeout: 30_000 });
  } finally {
    await stopServe(child);
    rmSync(dir, { recursive: true, force: true });
  }
});
