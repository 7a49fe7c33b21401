/**
 * IPC channel names shared by main and preload. Kept free of any `electron` import so the sandboxed
 * preload bundle stays tiny and both sides spell channels the same way.
 */
import type { ApiEvent, ApiMethod } from '../src/api/contract.js';

export const CHANNEL_PREFIX = 'labdesk:';

/** One invoke channel per contract method, e.g. `labdesk:runs.list`. */
export const apiChannel = (method: ApiMethod): string => `${CHANNEL_PREFIX}${method}`;

/** Main → renderer: every core event, as `{ event, payload }`. */
export const EVENT_CHANNEL = `${CHANNEL_PREFIX}event`;

/** Renderer → main: native folder picker. */
export const PICK_FOLDER_CHANNEL = `${CHANNEL_PREFIX}pickFolder`;

/** Renderer → main: open a run's file (by run id) in the user's default app. */
export const OPEN_PATH_CHANNEL = `${CHANNEL_PREFIX}openPath`;

/** Renderer → main: reveal one of a run's listed files in the file manager. */
export const SHOW_IN_FOLDER_CHANNEL = `${CHANNEL_PREFIX}showInFolder`;

/** The message on EVENT_CHANNEL. */
export interface EventMessage {
  event: ApiEvent;
  payload: unknown;
}

