/** The notebook file a run path names: the path itself; `<file>#exec=...` (catalogs before schema 7) → `<file>`. */
export function notebookFileOf(runPath: string): string {
  const i = runPath.lastIndexOf('#exec=');
  return i >= 0 ? runPath.slice(0, i) : runPath;
}
