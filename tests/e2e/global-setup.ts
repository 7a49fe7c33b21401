/** Builds the renderer once so the server under test serves the UI of this checkout. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './labdesk-server';

export default function globalSetup(): void {
  if (process.env.LABDESK_E2E_SKIP_BUILD === '1') return;
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    { cwd: repoRoot, stdio: 'inherit' },
  );
}
