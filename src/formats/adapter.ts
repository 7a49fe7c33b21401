import type { RunStatus } from '../api/contract.js';

/** One entry of a directory listing, as the walker hands it to adapters (names only, no reads). */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
}

/** Where a run lives and which files it is read from; found by `detect` without opening any file. */
export interface RunLocation {
  format: string;
  /** The run's folder (or file), absolute. With `format` and `execution` it makes the run's stable id. */
  path: string;
  /**
   * Which execution of `path` this run is, when one file holds successive runs (a notebook saved
   * after each execution: its start time); null or absent otherwise.
   */
  execution?: string | null;
  /** Files whose change means the run must be read again (absolute). */
  files: string[];
  experiment: { name: string; path: string };
  /** The folder below `path` belongs to this run: the walker does not descend into it. */
  claimsSubtree: boolean;
}

export interface RunMeta {
  name: string;
  /**
   * The status the format declares. null (no status in this format) reads as finished and 'unknown'
   * stays unknown, unless Labdesk sees the run's files change: then both read as running.
   */
  status: RunStatus | null;
  /** Epoch milliseconds. */
  startTime: number | null;
  endTime: number | null;
  /** Why the start or end time is unknown (null when both are known): shown instead of a guess. */
  timeNote?: string | null;
  gitCommit: string | null;
  /** The experiment's display name when the files name it (e.g. MLflow's meta.yaml); else the location's. */
  experimentName?: string;
}

export interface ModelRecord {
  name: string;
  path: string;
  format: string;
  framework: string | null;
  version: string | null;
  sizeBytes: number | null;
  /** A registry stage when the format has one (MLflow: Staging, Production, Archived). */
  stage?: string | null;
}

/** A dataset an inspector found (formats/inspector.ts). */
export interface DatasetRecord {
  name: string;
  path: string;
  format: string;
  sizeBytes: number | null;
}

/** What an adapter reports while reading a run. A bad file is a `problem`, never a throw. */
export interface RunSink {
  meta(patch: Partial<RunMeta>): void;
  param(key: string, value: string): void;
  tag(key: string, value: string): void;
  /** One metric point; `wallTime` in epoch seconds when the format records it. */
  point(key: string, step: number, value: number, wallTime?: number): void;
  artifact(path: string, kind: string, sizeBytes: number | null): void;
  model(model: ModelRecord): void;
  problem(path: string, message: string): void;
  /** Records how far a source file was read, and the state needed to resume there. */
  fileRead(path: string, offset: number, state?: unknown): void;
}

/** A format Labdesk reads: detection from directory listings, then a streaming read per run. */
export interface Adapter {
  /** Stable format id, stored with each run (e.g. "lightning-csv"). */
  format: string;
  /** What users call it (e.g. "PyTorch Lightning CSVLogger"). */
  label: string;
  /**
   * Runs rooted in `dir`, judged from its listing; only formats that keep many runs in one file
   * (e.g. `mlflow.db`) need to open anything here, hence the optional promise.
   */
  detect(dir: string, entries: DirEntry[]): RunLocation[] | Promise<RunLocation[]>;
  /** Reads one run into the sink. Throws only on bugs; unreadable input becomes problems. */
  read(location: RunLocation, sink: RunSink): Promise<void>;
  /**
   * Reads only what was appended to `grown` files since their stored offsets, for formats whose
   * files only grow while a run trains. Points, params and tags sent to the sink are added to what
   * the catalog holds; meta fields given replace the stored ones. Returns false, having sent
   * nothing, when the change cannot be read as an append: the run is then read whole.
   */
  tail?(location: RunLocation, sink: RunSink, files: TailFiles): Promise<boolean>;
  /**
   * Side files the writer rewrites in place while a run trains (a summary, console output) that
   * `tail` takes care of itself: their change is handed over in `TailFiles.reread` instead of
   * forcing a whole read.
   */
  tailRereads?(file: string): boolean;
  /**
   * For formats where one file holds successive runs (a notebook saved after each execution): the
   * file a run no longer found was an earlier state of. While that file is still indexed, the run
   * is kept as history instead of dropped.
   */
  historyOf?(runPath: string, execution: string | null): string | null;
}

/** A file's position after its last read: the offset reached and the reader's resume state. */
export interface ReadPosition {
  offset: number;
  state: unknown;
}

/** What a tail read starts from. */
export interface TailFiles {
  /** Files that grew since their last read (same inode, a byte-identical head), with where reading stopped. */
  grown: Map<string, ReadPosition>;
  /** Every source file's last position, grown or not (e.g. to rebuild a summary kept in the states). */
  all: Map<string, ReadPosition>;
  /** Changed files the adapter's `tailRereads` claims, however they changed. */
  reread: Set<string>;
}
