import { Worker } from 'node:worker_threads';

/** How long a stop may take before the process exits anyway (an indexing pass may be mid-file). */
export const STOP_DEADLINE_MS = 1000;
/** The watchdog's margin past the deadline, for when the main thread is too busy to run its own timer. */
const WATCHDOG_MARGIN_MS = 100;

export interface StopSignal {
  /** Never resolves: after SIGINT or SIGTERM the process exits once `stop` is done, or at the deadline. */
  done: Promise<void>;
  /** Runs `stop` now (on an error), removing the signal handlers. */
  now(): Promise<void>;
}

// Plain CommonJS run in a worker thread: its timer fires even while the main thread is inside a long
// synchronous stretch (a big SQLite transaction), where the main thread's own timer cannot.
const WATCHDOG = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.once('message', () => setTimeout(() => {
  fs.writeSync(2, workerData.message);
  process.kill(workerData.pid, 'SIGKILL');
}, workerData.ms));
`;

function startWatchdog(message: string, deadlineMs = STOP_DEADLINE_MS): Worker | null {
  try {
    const worker = new Worker(WATCHDOG, { eval: true, workerData: { pid: process.pid, ms: deadlineMs + WATCHDOG_MARGIN_MS, message } });
    worker.unref();
    return worker;
  } catch {
    return null; // the main thread's timer still stands
  }
}

/**
 * Wires SIGINT and SIGTERM of a long-running command (serve, watch) to `stop`, with a hard deadline:
 * whatever `stop` waits for, the process exits about STOP_DEADLINE_MS after the signal is handled.
 * A second signal exits at once.
 */
export function stopSignal(stop: () => Promise<void>): StopSignal {
  const late = `labdesk: stopping took over ${STOP_DEADLINE_MS / 1000} s; exiting without waiting.\n`;
  // Started now, so that arming it at the signal costs nothing.
  const watchdog = startWatchdog(late);
  let stopping: Promise<void> | null = null;
  const run = () => (stopping ??= stop());
  const unhook = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    void watchdog?.terminate();
  };

  function onSignal(): void {
    if (stopping) process.exit(130);
    watchdog?.postMessage('arm');
    setTimeout(() => {
      process.stderr.write(late);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    run()
      .catch((err: unknown) => process.stderr.write(`labdesk: while stopping: ${(err as Error)?.message ?? String(err)}\n`))
      .finally(() => process.exit(0));
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  return {
    done: new Promise<void>(() => {}),
    now: async () => {
      unhook();
      await run();
    },
  };
}

/** How long a cancelled index pass may take to stop and undo what it wrote before the process exits anyway. */
export const CANCEL_DEADLINE_MS = 3000;

export interface CancelSignal {
  /** True once SIGINT or SIGTERM came. */
  readonly signalled: boolean;
  /** Removes the handlers (the command is done). */
  dispose(): void;
}

/**
 * SIGINT and SIGTERM during a one-shot command (`labdesk index`): `cancel` runs once, and the command
 * then finishes on its own, reporting the stop. Should it not have exited `deadlineMs` after the
 * signal, the process exits anyway (130); a second signal exits at once.
 */
export function cancelOnSignal(cancel: () => void, deadlineMs = CANCEL_DEADLINE_MS): CancelSignal {
  const late = `labdesk: stopping took over ${deadlineMs / 1000} s; exiting without waiting.\n`;
  const watchdog = startWatchdog(late, deadlineMs);
  let signalled = false;
  function onSignal(): void {
    if (signalled) process.exit(130);
    signalled = true;
    watchdog?.postMessage('arm');
    setTimeout(() => {
      process.stderr.write(late);
      process.exit(130);
    }, deadlineMs).unref();
    cancel();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get signalled() {
      return signalled;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void watchdog?.terminate();
    },
  };
}
