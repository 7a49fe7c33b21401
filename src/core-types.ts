import type { ApiEvent, ApiEvents, LabdeskApi } from './api/contract.js';

export interface CoreOptions {
  /** The catalog file; created with its folders when missing. */
  dbPath: string;
  /** Keep watched roots live with a file watcher (desktop, serve, watch); off for one-shot CLI calls. */
  watch?: boolean;
  /** better-sqlite3 native binding to load (the Electron-ABI build when running inside Electron). */
  nativeBinding?: string;
}

/** The Labdesk core: the API every shell exposes, plus its events. Plain Node, no UI. */
export interface Core {
  readonly api: LabdeskApi;
  readonly dbPath: string;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** Stops watchers, cancels running passes (waiting for them at most half a second) and closes the catalog. */
  close(): Promise<void>;
}
