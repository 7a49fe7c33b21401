/**
 * The sandboxed preload (bundled to CommonJS, may only require 'electron'). It exposes exactly the
 * DesktopBridge: one function per contract method, an event subscription, the folder picker,
 * dropped-file paths and opening a run's file. The raw ipcRenderer never reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  API_METHODS,
  type ApiEvent,
  type ApiEvents,
  type BridgeApi,
  type DesktopBridge,
} from '../../src/api/contract.js';
import { EVENT_CHANNEL, OPEN_PATH_CHANNEL, PICK_FOLDER_CHANNEL, SHOW_IN_FOLDER_CHANNEL, apiChannel, type EventMessage } from '../channels.js';

const api = Object.fromEntries(
  API_METHODS.map((method) => [method, (args: unknown) => ipcRenderer.invoke(apiChannel(method), args)]),
) as BridgeApi;

// One IPC listener fans out to page listeners, so the IpcRendererEvent (which carries `sender`) is
// never handed to page code and listeners can be removed without touching ipcRenderer.
type Listener = (payload: unknown) => void;
const listeners = new Map<ApiEvent, Set<Listener>>();
ipcRenderer.on(EVENT_CHANNEL, (_event, message: EventMessage) => {
  for (const listener of listeners.get(message.event) ?? []) {
    try {
      listener(message.payload);
    } catch (err) {
      console.error(`[labdesk] listener for ${message.event} threw:`, err);
    }
  }
});

const bridge = {
  api,
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    // Wrap, so the same function registered twice gets two independent unsubscribes.
    const wrapped: Listener = (payload) => listener(payload as ApiEvents[E]);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
  pickFolder: (): Promise<string | null> => ipcRenderer.invoke(PICK_FOLDER_CHANNEL),
  openPath: (runId: string): Promise<string> => ipcRenderer.invoke(OPEN_PATH_CHANNEL, runId),
  showInFolder: (runId: string, path: string): Promise<string> => ipcRenderer.invoke(SHOW_IN_FOLDER_CHANNEL, { runId, path }),
  pathForFile(file: Blob): string {
    // Throws for a non-File; '' for a File built in JS rather than read from disk.
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('labdesk', bridge);
