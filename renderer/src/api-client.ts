/**
 * The renderer's one way to reach the core. The transport is chosen once at start: the Electron
 * preload's `window.labdesk` when present (desktop), else the same-origin HTTP bridge (web, tests).
 * Either way callers get plain values or a thrown ApiError, never an ApiResponse.
 */
import type {
  ApiErrorData,
  ApiEvent,
  ApiEvents,
  ApiMethod,
  ApiResponse,
  DesktopBridge,
  LabdeskApi,
} from '../../src/api/contract';

/** Error kinds from the core, plus `Unreachable` when the transport itself failed. */
export type ApiErrorName = ApiErrorData['name'] | 'Unreachable';

export class ApiError extends Error {
  override readonly name: ApiErrorName;
  /** For a QueryError: the span of the query the message is about. */
  readonly at?: ApiErrorData['at'];
  constructor(name: ApiErrorName, message: string, at?: ApiErrorData['at']) {
    super(message);
    this.name = name;
    this.at = at;
  }
}

type Listener<E extends ApiEvent> = (payload: ApiEvents[E]) => void;

interface Transport {
  shell: 'desktop' | 'web';
  call(method: ApiMethod, args: unknown): Promise<ApiResponse<unknown>>;
  on<E extends ApiEvent>(event: E, listener: Listener<E>): () => void;
  /** Called when the event stream came back after a gap: events may have been missed. */
  onReconnect(listener: () => void): () => void;
}

function desktopTransport(bridge: DesktopBridge): Transport {
  return {
    shell: 'desktop',
    call: (method, args) =>
      (bridge.api[method] as (a: unknown) => Promise<ApiResponse<unknown>>)(args),
    on: (event, listener) => bridge.on(event, listener),
    onReconnect: () => () => {}, // IPC never drops events
  };
}

function httpTransport(): Transport {
  let source: EventSource | null = null;
  let hadError = false;
  const reconnectListeners = new Set<() => void>();

  // One EventSource for every listener, opened on first use; the browser reconnects by itself.
  // Same-origin, so it sends the session cookie.
  const events = (): EventSource => {
    if (source) return source;
    source = new EventSource('/api/events');
    source.addEventListener('error', () => {
      hadError = true;
    });
    source.addEventListener('open', () => {
      if (!hadError) return;
      hadError = false;
      reconnectListeners.forEach((l) => l());
    });
    return source;
  };

  return {
    shell: 'web',
    async call(method, args) {
      let res: Response;
      try {
        // The session cookie (HttpOnly, set when the printed link was opened) goes with same-origin calls.
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(args ?? {}),
        });
      } catch {
        throw new ApiError(
          'Unreachable',
          'Labdesk’s server did not answer. Is `labdesk serve` still running?',
        );
      }
      if (res.status === 401) {
        throw new ApiError(
          'Unreachable',
          'This page has no Labdesk session (the server may have restarted): open the link that `labdesk serve` printed.',
        );
      }
      try {
        return (await res.json()) as ApiResponse<unknown>;
      } catch {
        throw new ApiError('Internal', `The server answered ${res.status} without a Labdesk reply.`);
      }
    },
    on(event, listener) {
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
      const es = events();
      es.addEventListener(event, handler);
      return () => es.removeEventListener(event, handler);
    },
    onReconnect(listener) {
      events();
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

const bridge: DesktopBridge | undefined = window.labdesk;
const transport: Transport = bridge ? desktopTransport(bridge) : httpTransport();

async function call(method: ApiMethod, args: unknown): Promise<unknown> {
  const response = await transport.call(method, args);
  if (response.ok) return response.value;
  throw new ApiError(response.error.name, response.error.message, response.error.at);
}

/** The typed API: `api['runs.list']({ limit: 50 })` resolves to a RunPage or throws ApiError. */
export const api = new Proxy({} as LabdeskApi, {
  get: (_target, method: string) => (args: unknown) => call(method as ApiMethod, args),
});

export const client = {
  shell: transport.shell,
  on: transport.on,
  onReconnect: transport.onReconnect,
  /** Desktop only: the native folder picker; null when cancelled or in the browser. */
  pickFolder: async (): Promise<string | null> => (bridge ? bridge.pickFolder() : null),
  /** Desktop only: the path of a dropped File; null in the browser, which hides it. */
  pathForFile: (file: File): string | null => (bridge ? bridge.pathForFile(file) || null : null),
  /** Desktop only: opens a run's file in the user's default app; '' when opened, else why not (null in the browser). */
  openPath: async (runId: string): Promise<string | null> => (bridge ? bridge.openPath(runId) : null),
  /** Desktop only: reveals one of a run's files in the file manager; null in the browser, which hides it. */
  showInFolder: bridge ? (runId: string, path: string): Promise<string> => bridge.showInFolder(runId, path) : null,
};

export const shell = client.shell;
export const on = client.on;
