/** The git state cannot be known: past a work limit, or data Labdesk does not read (the answer is "unknown"). */
export class GitUnknowable extends Error {}

/** Limits on the work done to tell whether a work tree is dirty. */
export interface DirtyLimits {
  /** Tracked files (index entries, and files in HEAD's tree) past which the answer is unknown. */
  maxTrackedFiles: number;
  /** Work-tree bytes hashed in all, past which the answer is unknown. */
  maxHashedBytes: number;
  /** Wall-clock time for the whole check. */
  timeoutMs: number;
}

// Work-tree checks use synchronous file calls (a round trip through libuv's pool per lstat/open/read
// costs several times the call itself); they give the event loop back this often.
const SLICE_MS = 10;

/** Work left for one check: time and bytes to hash. Spending past either throws GitUnknowable. */
export class WorkBudget {
  private readonly deadline: number;
  private bytesLeft: number;
  private sliceStart = Date.now();

  constructor(readonly limits: DirtyLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
    this.bytesLeft = limits.maxHashedBytes;
  }

  /** Throws once the time is up; called between units of work (a file, a chunk, an object). */
  tick(): void {
    if (Date.now() > this.deadline) throw new GitUnknowable(`took longer than ${this.limits.timeoutMs} ms`);
  }

  /** Between units of synchronous work: checks the time, and yields to the event loop once a slice is used up. */
  async pause(): Promise<void> {
    this.tick();
    if (Date.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = Date.now();
  }

  /** Reserves `bytes` of hashing before reading them, so a huge file is refused before any work. */
  spendBytes(bytes: number): void {
    if (bytes > this.bytesLeft) throw new GitUnknowable(`more than ${this.limits.maxHashedBytes} bytes to hash`);
    this.bytesLeft -= bytes;
  }

  /** Throws when `count` exceeds the tracked-file limit. */
  countFiles(count: number): void {
    if (count > this.limits.maxTrackedFiles) throw new GitUnknowable(`more than ${this.limits.maxTrackedFiles} tracked files`);
  }
}
