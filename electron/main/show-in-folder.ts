/** DesktopBridge.showInFolder: reveals a file the catalog lists for a run, never a path of the page's choosing. */
import fs from 'node:fs';
import { shell } from 'electron';
import { toErrorData } from '../../src/api/errors.js';
import type { Core } from '../../src/core-types.js';

/** '' when shown, else why not. */
export async function showRunFile(core: Core, arg: unknown): Promise<string> {
  const { runId, path: file } = (arg ?? {}) as { runId?: unknown; path?: unknown };
  if (typeof runId !== 'string' || !runId || typeof file !== 'string' || !file) return 'No file to show.';
  try {
    const run = await core.api['runs.get']({ id: runId });
    const listed = run.sourceFiles.some((f) => f.path === file) || run.artifacts.some((a) => a.path === file && !a.kind.startsWith('figure:'));
    if (!listed) return 'This run lists no such file.';
  } catch (err) {
    return toErrorData(err).message;
  }
  const stat = await fs.promises.lstat(file).catch(() => null);
  if (!stat) return `${file} is not there any more (moved or deleted?).`;
  shell.showItemInFolder(file);
  return '';
}
