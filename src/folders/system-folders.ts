import os from 'node:os';
import path from 'node:path';

/** Operating-system folders: no runs there, and walking them means /proc, device files, millions of files. */
const POSIX_SYSTEM = [
  '/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr', '/var',
  // macOS (where /etc and /var are links into /private)
  '/System', '/Library', '/private', '/private/etc', '/private/var', '/cores',
];
/** Virtual file systems: nothing inside them is a run folder either. */
const POSIX_VIRTUAL = ['/proc', '/sys', '/dev'];
/** Folders that hold every user's home. */
const POSIX_HOMES = ['/home', '/Users'];
const WINDOWS_SYSTEM = ['Windows', 'Program Files', 'Program Files (x86)', 'ProgramData'];

export type FolderRefusal = { kind: 'system' } | { kind: 'home' };

/**
 * Why `folder` (absolute, resolved) should not become a watched root: a system folder (refused), or
 * a home folder (accepted only when the user confirms). null: fine.
 */
export function folderRefusal(
  folder: string,
  platform: NodeJS.Platform = process.platform,
  homes: readonly string[] = [os.homedir(), process.env.HOME ?? ''],
): FolderRefusal | null {
  if (platform === 'win32') {
    const p = path.win32.resolve(folder).replace(/[\\/]+$/, '').toLowerCase();
    if (/^[a-z]:$/.test(p) || /^\\\\[^\\]+\\[^\\]+$/.test(p)) return { kind: 'system' }; // a drive or share root
    if (WINDOWS_SYSTEM.some((name) => p === `${p.slice(0, 2)}\\${name.toLowerCase()}`)) return { kind: 'system' };
    if (p.endsWith('\\users') && p.split('\\').length === 2) return { kind: 'home' };
    if (homes.some((h) => h && path.win32.resolve(h).replace(/[\\/]+$/, '').toLowerCase() === p)) return { kind: 'home' };
    return null;
  }
  const p = path.posix.resolve(folder).replace(/(?<=.)\/+$/, '');
  if (POSIX_SYSTEM.includes(p) || POSIX_VIRTUAL.some((v) => p.startsWith(`${v}/`))) return { kind: 'system' };
  if (POSIX_HOMES.includes(p)) return { kind: 'home' };
  if (homes.some((h) => h && path.posix.resolve(h) === p)) return { kind: 'home' };
  return null;
}
