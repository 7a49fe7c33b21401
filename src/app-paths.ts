import os from 'node:os';
import path from 'node:path';

/**
 * Where the catalog lives by default: the OS's per-user data folder, shared by the CLI, web mode and
 * the desktop app so they all see one catalog. `LABDESK_DB` or `--db` picks another file.
 */
export function defaultCatalogPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LABDESK_DB) return path.resolve(env.LABDESK_DB);
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Labdesk', 'catalog.db');
    case 'win32':
      return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Labdesk', 'catalog.db');
    default:
      return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'labdesk', 'catalog.db');
  }
}
