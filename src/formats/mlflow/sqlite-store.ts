import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { describeFsError, pathExists } from '../util/files.js';
import { openForeignSqlite, type ForeignDb } from '../util/foreign-sqlite.js';
import { isServerArtifactUri, serverArtifactCandidates } from './artifact-uri.js';
import { epochMs, LIFECYCLE_TAG, localPath, MODEL_FORMAT, REGISTERED_FORMAT, registryStage, statusFromMlflow, text } from './common.js';
import { dirSize, listArtifacts, modelFramework, modelSourceDir } from './models.js';

type Db = Database.Database;
type Row = Record<string, unknown>;

/** Tables every MLflow tracking database has, whatever its version. */
const REQUIRED = ['experiments', 'runs', 'metrics', 'params', 'tags'];
const DB_FILE = /\.(db|sqlite3?)$/i;
/** The SQL store saves ±Infinity as ±DBL_MAX (SQL has no infinity); these are the values logged. */
const DBL_MAX = 1.7976931348623157e308;

/**
 * MLflow's SQLAlchemy store on SQLite (`mlflow.db`, MLflow 3's default): many runs in one file, so
 * a run's location is `<db path>#<run uuid>` and its experiment `<db path>#exp-<id>`. Opened so
 * that nothing is created beside it (see openForeignSqlite); a database MLflow is writing is read
 * as of its last commit.
 */
export const mlflowSqlite: Adapter = {
  format: 'mlflow-sqlite',
  label: 'MLflow tracking database (SQLite)',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    const out: RunLocation[] = [];
    for (const e of entries) {
      if (!e.isFile || !DB_FILE.test(e.name)) continue;
      const file = path.join(dir, e.name);
      // Any `mlflow.db` is claimed (so a broken one is reported); other databases only when MLflow's.
      const named = e.name === 'mlflow.db';
      let foreign: ForeignDb;
      try {
        foreign = openForeignSqlite(file);
      } catch {
        if (named) out.push(brokenDb(this.format, file));
        continue;
      }
      const db = foreign.db;
      try {
        if (!hasTables(db, REQUIRED)) {
          if (named) out.push(brokenDb(this.format, file));
          continue;
        }
        const exps = new Map((db.prepare('SELECT experiment_id AS id, name FROM experiments').all() as Row[]).map((r) => [String(r.id), String(r.name)]));
        for (const r of db.prepare('SELECT run_uuid, experiment_id FROM runs ORDER BY start_time, run_uuid').iterate() as Iterable<Row>) {
          const expId = String(r.experiment_id);
          out.push({
            format: this.format,
            path: `${file}#${String(r.run_uuid)}`,
            files: [file],
            experiment: { name: exps.get(expId) ?? expId, path: `${file}#exp-${expId}` },
            claimsSubtree: false,
          });
        }
      } catch {
        // Not a database after all (garbage with a .db name): only `mlflow.db` is worth a problem.
        if (named) out.push(brokenDb(this.format, file));
      } finally {
        foreign.close();
      }
    }
    return out;
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const hash = location.path.lastIndexOf('#');
    const file = hash >= 0 ? location.path.slice(0, hash) : location.path;
    const runId = hash >= 0 ? location.path.slice(hash + 1) : null;
    let foreign: ForeignDb | null = null;
    try {
      foreign = openForeignSqlite(file);
      const db = foreign.db;
      if (!hasTables(db, REQUIRED)) {
        sink.problem(file, `not an MLflow tracking database: it lacks MLflow's tables (${REQUIRED.join(', ')})`);
        return;
      }
      if (!runId) return;
      await readRun(db, file, runId, sink);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      sink.problem(file, e.code === 'SQLITE_NOTADB'
        ? 'not an SQLite database (the file is damaged, or not the mlflow.db MLflow wrote)'
        : `cannot read the MLflow database: ${e.code?.startsWith('SQLITE') ? e.message : describeFsError(err)}`);
    } finally {
      foreign?.close();
    }
  },
};

function brokenDb(format: string, file: string): RunLocation {
  return { format, path: file, files: [file], experiment: { name: path.basename(file), path: file }, claimsSubtree: false };
}

function hasTables(db: Db, names: string[]): boolean {
  const have = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  return names.every((n) => have.has(n));
}

function columns(db: Db, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as Row[]).map((r) => String(r.name)));
}

async function readRun(db: Db, file: string, runId: string, sink: RunSink): Promise<void> {
  const run = db.prepare('SELECT * FROM runs WHERE run_uuid = ?').get(runId) as Row | undefined;
  if (!run) {
    sink.problem(file, `run ${runId} is no longer in the database`);
    return;
  }
  const exp = db.prepare('SELECT name, lifecycle_stage FROM experiments WHERE experiment_id = ?').get(run.experiment_id) as Row | undefined;

  const tags = new Map<string, string>();
  for (const r of db.prepare('SELECT key, value FROM tags WHERE run_uuid = ? ORDER BY key').all(runId) as Row[]) {
    tags.set(String(r.key), r.value === null ? '' : String(r.value));
  }
  for (const [k, v] of tags) sink.tag(k, v);
  for (const r of db.prepare('SELECT key, value FROM params WHERE run_uuid = ? ORDER BY key').all(runId) as Row[]) {
    sink.param(String(r.key), String(r.value));
  }

  // Time order is the order of logging; rowid breaks ties within a millisecond.
  const isNan = columns(db, 'metrics').has('is_nan') ? 'is_nan' : '0 AS is_nan';
  const metrics = db.prepare(`SELECT key, value, timestamp, step, ${isNan} FROM metrics WHERE run_uuid = ? ORDER BY key, timestamp, step, rowid`);
  for (const r of metrics.iterate(runId) as Iterable<Row>) {
    let value = Number(r.value);
    if (Number(r.is_nan)) value = NaN;
    else if (Math.abs(value) === DBL_MAX) value = Math.sign(value) * Infinity;
    sink.point(String(r.key), Number(r.step ?? 0), value, Number(r.timestamp) / 1000);
  }

  const runName = tags.get('mlflow.runName') ?? text(run.name) ?? runId;
  sink.meta({
    name: runName,
    status: statusFromMlflow(run.status),
    startTime: epochMs(run.start_time),
    endTime: epochMs(run.end_time),
    gitCommit: tags.get('mlflow.source.git.commit') ?? text(run.source_version) ?? null,
    ...(text(exp?.name) ? { experimentName: text(exp?.name)! } : {}),
  });
  if (run.lifecycle_stage === 'deleted' || exp?.lifecycle_stage === 'deleted') sink.tag(LIFECYCLE_TAG, 'deleted');
  await readModels(db, file, runId, runName, text(run.artifact_uri), tags, sink);
}

/**
 * Registry versions registered from this run and MLflow 3 logged models it produced. Artifacts
 * are not in the database: they are listed, and framework and size filled in, only when their
 * folder is found on this machine (artifact URIs are often relative to where the server ran: the
 * db's folder; a tracking server's `mlflow-artifacts:` URIs map to `mlartifacts/` or `mlruns/` there).
 * Something kept by a tracking server whose folder is not here is a problem, not a made-up path.
 */
async function readModels(
  db: Db, file: string, runId: string, runName: string, artifactUri: string | null, tags: Map<string, string>, sink: RunSink,
): Promise<void> {
  const base = path.dirname(file);
  const where = `${file}#${runId}`;
  const onServer = isServerArtifactUri(artifactUri);
  const artifactsDir = artifactUri ? await artifactFolder(artifactUri, base) : null;
  // One problem for the run covers its models too.
  const reported = onServer && !artifactsDir;
  if (reported) {
    sink.problem(where, `the run's artifacts are kept by an MLflow tracking server (${artifactUri}) and are not on this machine${lookedIn(artifactUri!, base)}: its artifacts and models are not listed`);
  }
  // Without the artifacts, the history tag still names each logged model and its flavors.
  const history = modelsFromHistory(file, runId, runName, tags.get('mlflow.log-model.history'), sink, !artifactsDir && !onServer);
  if (artifactsDir) await listArtifacts(artifactsDir, runName, sink);
  const tables = ['model_versions', 'logged_models'].filter((t) => hasTables(db, [t]));
  const loggedDirs = new Map<string, string | null>();
  if (tables.includes('logged_models')) {
    for (const m of db.prepare('SELECT model_id, name, artifact_location FROM logged_models WHERE source_run_id = ? ORDER BY creation_timestamp_ms').all(runId) as Row[]) {
      const location = String(m.artifact_location);
      const dir = await modelFolder(location, base);
      const label = `${runName}/${text(m.name) ?? String(m.model_id)}`;
      loggedDirs.set(String(m.model_id), dir);
      if (!dir && isServerArtifactUri(location)) {
        if (!reported) sink.problem(where, `logged model ${label} is kept by an MLflow tracking server (${location}) and is not on this machine${lookedIn(location, base)}: not listed`);
        continue;
      }
      sink.model({
        name: label,
        path: dir ?? `${file}#${String(m.model_id)}`,
        format: MODEL_FORMAT,
        framework: dir ? await modelFramework(dir, sink) : null,
        version: null,
        sizeBytes: dir ? await dirSize(dir) : null,
      });
    }
  }
  if (tables.includes('model_versions')) {
    const ctx = { runId, artifactsDir, loggedModelsDir: null, base };
    const storage = columns(db, 'model_versions').has('storage_location') ? 'storage_location' : 'NULL AS storage_location';
    for (const v of db.prepare(`SELECT name, version, source, ${storage}, current_stage FROM model_versions WHERE run_id = ? ORDER BY name, version`).all(runId) as Row[]) {
      const source = text(v.source) ?? '';
      const stored = text(v.storage_location);
      const logged = /^models:\/(m-[0-9a-f]+)/i.exec(source);
      const dir = (logged ? loggedDirs.get(logged[1]) ?? null : null)
        ?? (source ? await modelSourceDir(source, ctx) : null)
        ?? (stored ? await modelSourceDir(stored, ctx) : null);
      const label = `${String(v.name)} version ${String(v.version)}`;
      if (!dir && (onServer || isServerArtifactUri(source) || isServerArtifactUri(stored))) {
        if (!reported) sink.problem(where, `registered model ${label} is kept by an MLflow tracking server (${stored ?? source}) and is not on this machine: not listed`);
        continue;
      }
      const marker = `/${runId}/artifacts/`;
      const fromHistory = source.includes(marker) ? history.get(source.slice(source.indexOf(marker) + marker.length)) : undefined;
      sink.model({
        name: String(v.name),
        // The version's folder when it is here (the catalog keys models by path and version, so
        // two versions of one folder stay two entries); else its place in the database.
        path: dir ?? `${file}#models/${String(v.name)}/version-${String(v.version)}`,
        format: REGISTERED_FORMAT,
        framework: dir ? await modelFramework(dir, sink) : (fromHistory ?? null),
        version: String(v.version),
        sizeBytes: dir ? await dirSize(dir) : null,
        stage: registryStage(v.current_stage),
      });
    }
  }
}

/** The run's artifacts folder when it is on this machine. */
async function artifactFolder(uri: string, base: string): Promise<string | null> {
  const candidates = serverArtifactCandidates(uri, base) ?? [localPath(uri, base)].filter((p): p is string => p !== null);
  for (const c of candidates) if (await pathExists(c)) return c;
  return null;
}

/** A logged model's folder (the one holding its MLmodel) when it is on this machine. */
async function modelFolder(uri: string, base: string): Promise<string | null> {
  const candidates = serverArtifactCandidates(uri, base) ?? [localPath(uri, base)].filter((p): p is string => p !== null);
  for (const c of candidates) if (await pathExists(path.join(c, 'MLmodel'))) return c;
  return null;
}

/** ` (looked in <a> and <b>)`, for a problem about a server URI. */
function lookedIn(uri: string, base: string): string {
  const candidates = serverArtifactCandidates(uri, base) ?? [];
  return candidates.length ? ` (looked in ${candidates.join(' and ')})` : '';
}

/**
 * MLflow 1.x/2.x record each `log_model` in the run's `mlflow.log-model.history` tag (artifact path
 * and flavors). Returns artifact path → framework; with `report`, each becomes a model entry.
 */
function modelsFromHistory(
  file: string, runId: string, runName: string, history: string | undefined, sink: RunSink, report: boolean,
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (!history) return out;
  let entries: unknown;
  try {
    entries = JSON.parse(history);
  } catch {
    sink.problem(`${file}#${runId}`, 'the mlflow.log-model.history tag is not valid JSON (MLflow cuts long tags); its models are not listed');
    return out;
  }
  if (!Array.isArray(entries)) return out;
  for (const e of entries as Row[]) {
    const artifactPath = text(e?.artifact_path);
    if (!artifactPath) continue;
    const flavors = e.flavors && typeof e.flavors === 'object' ? Object.keys(e.flavors) : [];
    const framework = flavors.find((f) => f !== 'python_function') ?? flavors[0] ?? null;
    out.set(artifactPath, framework);
    if (!report) continue;
    sink.model({
      name: `${runName}/${artifactPath}`,
      path: `${file}#${runId}/artifacts/${artifactPath}`,
      format: MODEL_FORMAT,
      framework,
      version: null,
      sizeBytes: null,
    });
  }
  return out;
}
