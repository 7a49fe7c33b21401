/**
 * End-to-end tests: the real renderer build, served by the real `labdesk serve`, driven in a real
 * Chromium: LABDESK_CHROMIUM, Debian's package, chromium on PATH or Playwright's cache, in that order
 * (find-browser.mjs). `npm test` installs one first when there is none; this config only looks.
 */
import { defineConfig } from '@playwright/test';
import { findBrowser } from './find-browser.mjs';

const found = findBrowser();
if (found.path === null) {
  throw new Error(
    `No Chromium for the end-to-end tests (looked at: ${found.looked.join(', ')}). \`npm test\` installs one; ` +
      'or install it yourself (Debian: `apt-get install -y chromium`; elsewhere: `npx playwright install chromium`), ' +
      'or set LABDESK_CHROMIUM to the path of a Chromium or Chrome binary.',
  );
}
const chromium = found.path;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  // One server per worker and one scenario per file: two workers would only fight over 2 cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['line']] : [['list']],
  outputDir: '../../test-results/e2e',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
});
