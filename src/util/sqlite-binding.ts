/**
 * The better-sqlite3 native binding this process loads. Inside Electron the catalog opens the
 * Electron-ABI build; every other database the process opens (a foreign `mlflow.db`) must load the
 * same file, since the default one is built for plain Node and fails there.
 */
let binding: string | undefined;

/** Records the binding the catalog was opened with (undefined: better-sqlite3's default). */
export function useSqliteBinding(nativeBinding: string | undefined): void {
  binding = nativeBinding;
}

/** Options to pass to `new Database` so it loads the process's binding. */
export function sqliteBindingOptions(): { nativeBinding?: string } {
  return binding ? { nativeBinding: binding } : {};
}
