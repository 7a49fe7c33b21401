import type { Page } from '@playwright/test';
import { expect, shot } from './labdesk-server';

/** Screenshots `<name>-1440`, `-1440-dark`, `-768`, `-768-dark` (900 px high), then back to 1440 light. */
export async function shotAllWays(page: Page, name: string, reveal: () => Promise<void> = async () => {}): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Toggle color scheme' });
  for (const width of [1440, 768]) {
    await page.setViewportSize({ width, height: 900 });
    await reveal();
    await shot(page, `${name}-${width}`);
    await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await reveal();
    await shot(page, `${name}-${width}-dark`);
    await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/**
 * Screenshots `<name>-1440-light`, `-1440-dark`, `-768-light`, `-768-dark` (900 px high) with the
 * system colour scheme emulated (the app follows it until its toggle is used), then back to 1440
 * light. `reveal` runs before each, to bring back what a resize closed.
 */
export async function shotEachWay(page: Page, name: string, reveal: () => Promise<void> = async () => {}): Promise<void> {
  for (const width of [1440, 768]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
      await reveal();
      // Charts redraw in the new theme's colours after the change.
      await page.waitForTimeout(350);
      await shot(page, `${name}-${width}-${scheme}`);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}
