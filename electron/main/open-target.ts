/**
 * How the desktop app opens a run's target. macOS treats some folders as documents or programs
 * ("packages": `Foo.app`, `X.bundle`, ...): `shell.openPath` on one launches it, and an indexed folder
 * is untrusted. So on macOS a folder, or anything named like a package, is only revealed in Finder.
 */
import path from 'node:path';

/** Extensions macOS opens as one item (programs, plug-ins, installers) rather than as a folder. */
const MAC_PACKAGE = /\.(app|appex|bundle|framework|plugin|kext|xpc|prefpane|qlgenerator|mdimporter|saver|action|workflow|component|service|osax|pkg|mpkg)$/i;

export type OpenAction = 'open' | 'reveal';

/** 'reveal' (shell.showItemInFolder) or 'open' (shell.openPath) for a target that exists. */
export function openAction(target: string, isDirectory: boolean, platform: NodeJS.Platform = process.platform): OpenAction {
  if (platform !== 'darwin') return 'open';
  // Trailing separators ("Foo.app/") name the same package.
  const name = path.posix.basename(target.replace(/\/+$/, ''));
  return isDirectory || MAC_PACKAGE.test(name) ? 'reveal' : 'open';
}
