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
