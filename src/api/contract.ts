/**
 * The one typed API between the Labdesk core and every client (renderer over Electron IPC or HTTP,
 * tests). Each method name maps to its argument and result types; transports derive their shapes from
 * this map so a channel cannot drift. Values crossing it are JSON: non-finite numbers travel as strings.
 */

/** A metric value as JSON carries it: non-finite numbers become "NaN", "Infinity", "-Infinity". */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed' | 'unknown';

export interface MetricSummary {
  last: JsonNumber;
  min: JsonNumber;
  max: JsonNumber;
  lastStep: number;
  count: number;
}

export interface RunSummary {
  id: string;
  /** The user's display name when set, else the name the format gave. */
  name: string;
  experiment: string;
  experimentId: string;
  format: string;
  status: RunStatus;
  /** Absolute path of the run's folder (or file). */
  path: string;
  /**
   * Which execution of the file at `path` this run is, when one file holds several runs (a notebook
   * saved after each execution: its start time as the file records it); else null.
   */
  execution: string | null;
  /** Epoch milliseconds, or null when the format does not say. */
  startTime: number | null;
  durationSeconds: number | null;
  /** Why the start time or duration is unknown (then null), e.g. "Keras's CSVLogger records no times". */
  timeNote: string | null;
  params: Record<string, string>;
  metrics: Record<string, MetricSummary>;
  starred: boolean;
  userTags: string[];
  /** Hidden from the runs table unless `includeArchived` (or the query names `attributes.archived`). */
  archived: boolean;
  /** Why a failed run failed, when its files say (the `error` tag: Sacred's fail_trace, a notebook's error output). */
  error: string | null;
}

export interface SourceFileInfo {
  path: string;
  sizeBytes: number;
  mtime: number;
  readOffset: number;
}

export interface ArtifactInfo {
  path: string;
  kind: string;
  sizeBytes: number | null;
}

export interface ProblemInfo {
  id: number;
  path: string;
  format: string;
  message: string;
  /** Epoch milliseconds of when the problem was found. */
  time: number;
  runId: string | null;
}

export interface RunDetail extends RunSummary {
  /** The name the format gave, before any rename by the user. */
  originalName: string;
  /** Tags written by the tool that made the run (e.g. mlflow.user); `git.branch`/`git.dirty` from the enclosing repository. */
  tags: Record<string, string>;
  /** The code version: the commit the format recorded, else the enclosing repository's HEAD. */
  gitCommit: string | null;
  note: string;
  sourceFiles: SourceFileInfo[];
  artifacts: ArtifactInfo[];
  models: ModelInfo[];
  problems: ProblemInfo[];
}

/** A model in the catalog's models list (`models.list`): where it is, its hash, which runs produced it. */
export interface ModelSummary {
  id: string;
  name: string;
  path: string;
  format: string;
  framework: string | null;
  version: string | null;
  sizeBytes: number | null;
  /** Registry stage of a registered model version (MLflow: Staging, Production, Archived), else null. */
  stage: string | null;
  /** SHA-256 (hex) of the model's file as the file ledger last hashed it; null until hashed, or for a folder. */
  sha256: string | null;
  /** When that hash was computed (epoch ms), else null. */
  hashedAt: number | null;
  /** The runs that produced this model (lineage). */
  runIds: string[];
}

/** A model on a run's page: as listed, with the first run that produced it. */
export interface ModelInfo extends Omit<ModelSummary, 'runIds'> {
  run: string | null;
}

/** One point: [step, value, wall time in epoch seconds or null]. */
export type MetricPoint = [number, JsonNumber, number | null];

export interface MetricSeries {
  run: string;
  key: string;
  /** Points stored for this series, before any downsampling. */
  count: number;
  points: MetricPoint[];
}

/** `stopped`: its last pass was cancelled; it holds what it held before that pass until indexed again. */
export type RootStatus = 'idle' | 'indexing' | 'live' | 'error' | 'missing' | 'stopped';

export interface RootInfo {
  id: number;
  path: string;
  addedAt: number;
  status: RootStatus;
  lastIndexedAt: number | null;
  runCount: number;
}

export interface IndexSummary {
  runs: number;
  experiments: number;
  datasets: number;
  models: number;
  problems: number;
  seconds: number;
}

export interface CatalogStats {
  runs: number;
  experiments: number;
  datasets: number;
  models: number;
  problems: number;
  dbPath: string;
  dbSizeBytes: number;
}

export type SortDirection = 'asc' | 'desc';

/**
 * A sortable column: a run attribute, `params.<key>`, or `metrics.<key>` (its last value);
 * `metrics.<key>:min`, `:max` sort by that summary instead.
 */
export interface RunSort {
  column: string;
  direction: SortDirection;
}

export interface ListRunsArgs {
  /** The query language (MLflow's search syntax plus OR, parentheses and free text); see src/catalog/query. */
  query?: string;
  offset?: number;
  limit?: number;
  sort?: RunSort;
  includeArchived?: boolean;
  /** Lists runs group by group, in `runs.groups` order (the sort applies within each group). */
  groupBy?: GroupBy;
}

/** Keys seen in the catalog, for column choosers and the search box's autocomplete. */
export interface RunKeys {
  paramKeys: string[];
  metricKeys: string[];
  tagKeys: string[];
}

/** What `runs.groups` groups by: a run attribute, or a tag or param key. */
export type GroupBy = 'experiment' | 'format' | 'status' | `tags.${string}` | `params.${string}`;

/**
 * One group of the runs matching a query. `value` null: runs without that tag or param. By
 * experiment, `value` is the experiment's id and `label` its name, with the tool and parent folder
 * when another experiment has the same name ("main — dvclive · get-started").
 */
export interface RunGroup {
  value: string | null;
  label: string | null;
  count: number;
  /** With a metric `sort`: the group's best value of it (max when sorted descending, min ascending). */
  best?: JsonNumber | null;
}

export interface RunGroupsArgs {
  query?: string;
  by: GroupBy;
  includeArchived?: boolean;
  /** The runs table's sort: when it is a metric, each group carries its best value. */
  sort?: RunSort;
}

/** A run as the compare view needs it: the summary plus the tool's tags and the user's note. */
export interface CompareRun extends RunSummary {
  tags: Record<string, string>;
  note: string;
}

export interface MetricBatchArgs {
  runs: string[];
  keys: string[];
  /** Points per series after downsampling (extremes kept); default 1000. */
  maxPoints?: number;
}

/** A saved view of the runs table: query, columns and sort, by name. */
export interface SavedView {
  id: number;
  name: string;
  query: string;
  sort: RunSort | null;
  /** Column ids shown, in order (e.g. "params.lr", "metrics.loss:min"); empty: the default columns. */
  columns: string[];
  createdAt: number;
}

export interface ExperimentAnnotationPatch {
  id: string;
  displayName?: string | null;
  note?: string;
}

/** A folder dropped on the web UI, copied into Labdesk's imports folder before it is indexed. */
export interface ImportFile {
  /** Path inside the dropped folder, '/'-separated, no '..'. */
  path: string;
  /** File bytes, base64. */
  data: string;
  /** The bytes continue this file from an earlier call (big files come in pieces). */
  append?: boolean;
}

export interface RunPage {
  total: number;
  offset: number;
  rows: RunSummary[];
  /** Every param and metric key in the catalog, for column choosers. */
  paramKeys: string[];
  metricKeys: string[];
}

export interface AnnotationPatch {
  id: string;
  displayName?: string | null;
  note?: string;
  starred?: boolean;
  userTags?: string[];
  archived?: boolean;
}

export interface IndexProgress {
  rootPath: string;
  phase: 'scanning' | 'reading' | 'done';
  filesSeen: number;
  runsRead: number;
  runsTotal: number;
}

/** Long work the core runs: an index pass over a folder, hashing files (later: scans, exports, pushes). */
export type JobKind = 'index' | 'hash';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';
/** What a job counts: `done`/`total` are runs or files; a rate may also be in bytes. */
export type JobUnit = 'runs' | 'files' | 'bytes';

export interface JobInfo {
  id: number;
  kind: JobKind;
  /** What the job works on: an index pass's folder, a hash job's file (or "3 files"). */
  label: string;
  state: JobState;
  done: number;
  /** 0 while unknown (an index pass still walking the tree). */
  total: number;
  /** What `done` and `total` count. */
  unit: Exclude<JobUnit, 'bytes'>;
  /** Bytes processed and in all, for jobs that read file contents (hashing); else 0. */
  bytes: number;
  bytesTotal: number;
  /** Smoothed over the last seconds while running, the whole job's average once ended; null until known. */
  rate: number | null;
  /** The rate's unit per second: bytes for jobs that count bytes, else `unit`. */
  rateUnit: JobUnit;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number | null;
  /** Why a failed job failed. */
  error: string | null;
}

/** One output of a notebook cell, ready to show without a browser rendering the notebook's HTML. */
export interface NotebookOutputView {
  /** `html-as-text`: an HTML output with no plain-text form, shown as its text with the markup removed. */
  kind: 'stream' | 'text' | 'error' | 'image' | 'html-as-text';
  /** stream: `stdout` or `stderr`. */
  name?: string;
  /** The text to show (errors: the traceback, ANSI-free); long text keeps its head and tail. */
  text?: string;
  /** Characters of the output left out of `text`. */
  omittedChars?: number;
  /** image: the figure's mime type; fetch its bytes with `artifacts.figure` and `figurePath`. */
  mime?: string;
  figurePath?: string;
  /** error: the exception's name and message. */
  ename?: string;
  evalue?: string;
}

export interface NotebookCellView {
  /** Position in the notebook, from 0: the numbering of `notebook.error.cell` and figure paths. */
  index: number;
  type: 'markdown' | 'code' | 'raw';
  source: string;
  /** Characters of the source left out (a cell of pasted data). */
  omittedChars?: number;
  executionCount: number | null;
  /** Cell tags (`parameters`, `injected-parameters`, `papermill-error-cell-tag`...). */
  tags: string[];
  outputs: NotebookOutputView[];
}

/** A notebook run as a read-only document: its cells and outputs, without image bytes. */
export interface NotebookView {
  run: string;
  /** The notebook file. */
  file: string;
  cells: NotebookCellView[];
  /** Cells not included because the rendering reached its size limit. */
  omittedCells: number;
  /** The kernel's language (`python`), for labels; null when the notebook does not say. */
  language: string | null;
  /** The file was saved again after this run was indexed: the rendering shows what it holds now. */
  changedSinceIndexed: boolean;
  /** Why reading stopped early (damaged, cut off, gone); the cells before that are included. */
  error: string | null;
}

/** A figure's bytes (image outputs of notebook cells), for a gallery. */
export interface FigureData {
  mime: string;
  /** Base64. */
  data: string;
  sizeBytes: number;
}

/**
 * A run's file or artifact read for a preview inside the app. Anything that cannot be shown (outside
 * the run's folder, not a regular file, binary, too big, gone) is `unavailable` with the reason.
 */
export type FilePreview =
  | { kind: 'text'; path: string; sizeBytes: number; syntax: 'text' | 'json' | 'yaml'; text: string; truncated: boolean }
  | { kind: 'table'; path: string; sizeBytes: number; columns: string[]; rows: string[][]; truncated: boolean }
  | { kind: 'image'; path: string; sizeBytes: number; mime: string; /** Base64. */ data: string }
  | { kind: 'unavailable'; path: string; sizeBytes: number | null; reason: string };

/** Method name → argument and result. Arguments are always one JSON object (or undefined). */
export interface ApiMethods {
  'runs.list': { args: ListRunsArgs; result: RunPage };
  'runs.get': { args: { id: string }; result: RunDetail };
  'runs.annotate': { args: AnnotationPatch; result: RunDetail };
  'runs.keys': { args: Record<string, never>; result: RunKeys };
  /** Values seen for one param or tag key, most common first (at most 20), for the search box. */
  'runs.values': { args: { field: 'params' | 'tags'; key: string; prefix?: string }; result: { values: string[] } };
  'runs.groups': { args: RunGroupsArgs; result: RunGroup[] };
  'runs.compare': { args: { ids: string[] }; result: CompareRun[] };
  'metrics.get': { args: { run: string; key: string; maxPoints?: number }; result: MetricSeries };
  'metrics.batch': { args: MetricBatchArgs; result: MetricSeries[] };
  'experiments.annotate': { args: ExperimentAnnotationPatch; result: { id: string; displayName: string | null; note: string } };
  'views.list': { args: Record<string, never>; result: SavedView[] };
  'views.save': { args: Omit<SavedView, 'id' | 'createdAt'>; result: SavedView };
  'views.delete': { args: { id: number }; result: { removed: boolean } };
  /**
   * A folder dropped on the web UI arrives in calls of a few files (or pieces) each: the first
   * call gets an `importId`, later ones pass it, and the one with `done` adds the copy as a root.
   */
  'imports.add': { args: { name: string; files: ImportFile[]; done: boolean; importId?: string }; result: { importId: string; root: RootInfo | null } };
  'problems.list': { args: { limit?: number }; result: ProblemInfo[] };
  /** Every model the indexed runs declare (checkpoints, registered and logged models), by path. */
  'models.list': { args: Record<string, never>; result: ModelSummary[] };
  'roots.list': { args: Record<string, never>; result: RootInfo[] };
  /** System folders are refused; a home folder needs `confirm: true` (a BadRequest says so). */
  'roots.add': { args: { path: string; confirm?: boolean }; result: RootInfo };
  'roots.remove': { args: { id: number }; result: { removed: boolean } };
  'catalog.stats': { args: Record<string, never>; result: CatalogStats };
  /** A figure artifact of a run (one the catalog lists for it, never another path); at most 20 MB. */
  'artifacts.figure': { args: { run: string; path: string }; result: FigureData };
  /**
   * One of a run's listed source files or artifacts, for a preview: only files inside the run's folder
   * (after links), regular files only, bounded reads (text 256 KB, CSV 2,000 rows, images 10 MB).
   */
  'artifacts.preview': { args: { run: string; path: string }; result: FilePreview };
  /** A notebook run's cells and outputs as a read-only rendering (runs of format `notebook` only). */
  'notebooks.render': { args: { run: string }; result: NotebookView };
  /** Running jobs, newest first, then the last 20 finished ones, the most recently ended first. */
  'jobs.list': { args: Record<string, never>; result: JobInfo[] };
  /** Asks a running job to stop; false when no job of that id is running. */
  'jobs.cancel': { args: { id: number }; result: { cancelled: boolean } };
}

export type ApiMethod = keyof ApiMethods;
export type ApiArgs<M extends ApiMethod> = ApiMethods[M]['args'];
export type ApiResult<M extends ApiMethod> = ApiMethods[M]['result'];

/** The API as callable functions, implemented by the core and by each client transport. */
export type LabdeskApi = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResult<M>> };

/** Every method name, at run time, for transports that must validate what they forward. */
export const API_METHODS = [
  'runs.list',
  'runs.get',
  'runs.annotate',
  'runs.keys',
  'runs.values',
  'runs.groups',
  'runs.compare',
  'metrics.get',
  'metrics.batch',
  'experiments.annotate',
  'views.list',
  'views.save',
  'views.delete',
  'imports.add',
  'problems.list',
  'models.list',
  'roots.list',
  'roots.add',
  'roots.remove',
  'catalog.stats',
  'artifacts.figure',
  'artifacts.preview',
  'notebooks.render',
  'jobs.list',
  'jobs.cancel',
] as const satisfies readonly ApiMethod[];

// Fails to compile when a method is added to ApiMethods but not to API_METHODS.
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const exhaustive: MissingMethods extends never ? true : MissingMethods = true;
void exhaustive;

/** Events the core pushes to clients. */
export interface ApiEvents {
  /** The catalog changed: runs were added, updated or removed. */
  'catalog.changed': { runIds: string[]; removed: string[] };
  'index.progress': IndexProgress;
  'roots.changed': { roots: RootInfo[] };
  /** A job started, progressed (at most about 10 times a second per job) or ended. */
  'jobs.progress': JobInfo;
}
export type ApiEvent = keyof ApiEvents;

/** Every event name, at run time, for transports that forward them all. */
export const API_EVENTS = ['catalog.changed', 'index.progress', 'roots.changed', 'jobs.progress'] as const satisfies readonly ApiEvent[];
type MissingEvents = Exclude<ApiEvent, (typeof API_EVENTS)[number]>;
const eventsExhaustive: MissingEvents extends never ? true : MissingEvents = true;
void eventsExhaustive;

/** Errors cross transports as plain data: the name says what kind, the message what to do. */
export interface ApiErrorData {
  /** NeedsConfirm: the call is allowed when repeated with `confirm: true` (e.g. adding a home folder). */
  name: 'NotFound' | 'BadRequest' | 'QueryError' | 'NeedsConfirm' | 'Internal';
  message: string;
  /** For a QueryError: where in the query the problem is (0-based character offsets, end exclusive). */
  at?: { start: number; end: number };
}
export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

/** The bridge each call crosses: errors come back as data, because Electron keeps only a message. */
export type BridgeApi = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResponse<ApiResult<M>>>;
};

/** What the Electron preload exposes as `window.labdesk` (checked with `satisfies` there). */
export interface DesktopBridge {
  api: BridgeApi;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** Opens the native folder picker; null when the user cancels. */
  pickFolder(): Promise<string | null>;
  /** The filesystem path of a File dropped on the window (Electron's webUtils.getPathForFile). */
  pathForFile(file: Blob): string;
  /**
   * Opens a run's file in the user's default app (a notebook run: its `.ipynb`; other runs: their
   * folder). The main process finds the path in the catalog; '' when opened, else why not.
   */
  openPath(runId: string): Promise<string>;
  /**
   * Shows one of a run's listed files in the system file manager (shell.showItemInFolder). The main
   * process checks the path against the catalog; '' when shown, else why not.
   */
  showInFolder(runId: string, path: string): Promise<string>;
}
