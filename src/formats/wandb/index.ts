import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunMeta, RunSink, TailFiles } from '../adapter.js';
import { flattenObject } from '../util/params.js';
import { listArtifacts, readConfigYaml, readWandbJsonFile, summaryAsPoints } from './files.js';
import { HistoryReader } from './history.js';
import { isLogState, logStartTime, readTransactionLog, tailTransactionLog, type LogFacts } from './log.js';
import { projectOf } from './project.js';
import { isInternalKey } from './values.js';
import { pathExists } from '../util/files.js';

/** `run-<yyyymmdd_hhmmss>-<id>` (online) or `offline-run-...`; `latest-run` (a link or copy of one run) never matches. */
const RUN_DIR = /^(offline-)?run-\d{8}_\d{6}-([A-Za-z0-9]+)$/;

/** files/ entries whose change means the run must be read again. */
const WATCHED_FILES = ['config.yaml', 'wandb-summary.json', 'wandb-metadata.json', 'requirements.txt', 'output.log', 'conda-environment.yaml'];
/** files/ entries W&B rewrites while a run trains that a tail read can take as they are (listed, not parsed). */
const REWRITTEN_WHILE_TRAINING = new Set(['wandb-summary.json', 'output.log', 'requirements.txt', 'conda-environment.yaml']);

/**
 * Weights & Biases local run folders, `wandb/run-*` and `wandb/offline-run-*`: the full history from
 * the binary `run-<id>.wandb` transaction log, config/summary/metadata from `files/`. Runs whose log
 * has no history (online runs keep it on the server; runs before 0.10 have no log) fall back to
 * `wandb-summary.json`, one point per metric. The W&B project is the experiment.
 */
export const wandb: Adapter = {
  format: 'wandb',
  label: 'Weights & Biases (local run folders)',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    const match = RUN_DIR.exec(path.basename(dir));
    if (!match) return [];
    const id = match[2];
    const logs = entries.filter((e) => e.isFile && e.name.endsWith('.wandb')).map((e) => e.name);
    const log = logs.includes(`run-${id}.wandb`) ? `run-${id}.wandb` : logs.sort()[0];
    const hasFiles = entries.some((e) => e.isDirectory && e.name === 'files');
    if (!log && !hasFiles) return [];
    const logPath = log ? path.join(dir, log) : null;
    return [
      {
        format: 'wandb',
        path: dir,
        files: [...(logPath ? [logPath] : []), ...WATCHED_FILES.map((f) => path.join(dir, 'files', f))],
        experiment: await experimentOf(dir, logPath),
        claimsSubtree: true,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const filesDir = path.join(dir, 'files');
    const id = RUN_DIR.exec(path.basename(dir))?.[2] ?? path.basename(dir);
    const history = new HistoryReader(sink);
    const logPath = location.files.find((f) => f.endsWith('.wandb'));
    const facts = logPath ? await readTransactionLog(logPath, sink, history) : null;
    for (const p of history.problems()) sink.problem(logPath!, p);

    const metaFile = path.join(filesDir, 'wandb-metadata.json');
    const metadata = (await pathExists(metaFile)) ? await readWandbJsonFile(metaFile, sink) : null;

    if (facts?.configSeen) for (const [k, v] of flattenObject(withoutInternals(facts.config))) sink.param(k, v);
    const configFile = path.join(filesDir, 'config.yaml');
    // config.yaml is W&B's final snapshot, with scalars as written: it has the last word.
    if (await pathExists(configFile)) for (const [k, v] of (await readConfigYaml(configFile, sink)) ?? []) sink.param(k, v);

    let summaryTime: number | null = null;
    const summaryFile = path.join(filesDir, 'wandb-summary.json');
    if (history.rows === 0 && (await pathExists(summaryFile))) {
      const summary = await readWandbJsonFile(summaryFile, sink);
      if (summary) {
        summaryAsPoints(summary, sink, history.nonScalar);
        sink.tag('labdesk.metrics_source', 'summary');
        if (typeof summary._timestamp === 'number') summaryTime = summary._timestamp * 1000;
      }
    }

    sink.meta(runMeta(id, facts, metadata, history.lastWallTime, summaryTime));
    runTags(facts, metadata, path.basename(dir).startsWith('offline-'), sink);
    for (const [k, v] of history.nonScalar.tags()) sink.tag(k, v);
    await listArtifacts(filesDir, history.nonScalar.mediaFiles, sink);
  },

  tailRereads: (file: string) => REWRITTEN_WHILE_TRAINING.has(path.basename(file)) && path.basename(path.dirname(file)) === 'files',

  async tail(location: RunLocation, sink: RunSink, files: TailFiles): Promise<boolean> {
    // While a run trains its log grows with history rows; W&B rewrites the summary and console
    // output beside it (the summary only matters for a log without history).
    const logPath = location.files.find((f) => f.endsWith('.wandb'));
    const logState = logPath ? files.all.get(logPath)?.state : undefined;
    // Without history rows yet, the summary stood in for them: the first rows replace it, whole.
    if (!logPath || !isLogState(logState) || logState.rows === 0) return false;
    if ([...files.grown.keys()].some((f) => f !== logPath)) return false;
    const grown = files.grown.get(logPath);
    if (grown) {
      const history = new HistoryReader(sink);
      if (!(await tailTransactionLog(logPath, sink, history, { offset: grown.offset, state: logState }))) return false;
    }
    // Refreshes the saved files' sizes; media listed by the last whole read stay listed.
    await listArtifacts(path.join(location.path, 'files'), new Map(), sink);
    return true;
  },
};

/** The project from the log's run record; else the folder holding `wandb/` (what W&B's UI would not know either). */
async function experimentOf(dir: string, logPath: string | null): Promise<RunLocation['experiment']> {
  const wandbDir = path.dirname(dir);
  const project = logPath ? await projectOf(logPath) : null;
  // A project has no folder of its own; runs of two projects can share one wandb/ folder.
  if (project) return { name: project, path: `${wandbDir}#project=${project}` };
  const named = ['wandb', '.wandb'].includes(path.basename(wandbDir));
  const outer = named ? path.dirname(wandbDir) : wandbDir;
  return { name: path.basename(outer), path: outer };
}

function runMeta(
  id: string,
  facts: LogFacts | null,
  metadata: Record<string, unknown> | null,
  lastWallTime: number | null,
  summaryTime: number | null,
): Partial<RunMeta> {
  const run = facts?.run;
  const git = metadata?.git as { commit?: unknown } | undefined;
  const startTime = (facts && logStartTime(facts)) ?? isoMs(metadata?.startedAt);
  let status: RunMeta['status'] = null;
  let endTime: number | null = summaryTime;
  if (facts?.exit && !facts.exit.notComplete) {
    status = facts.exit.exitCode === 0 ? 'finished' : 'failed';
    // The exit's runtime is whole seconds (0 for short offline runs): the last logged time can be later.
    const ends = [
      lastWallTime !== null ? lastWallTime * 1000 : null,
      startTime !== null ? startTime + facts.exit.runtime * 1000 : null,
      facts.lastOutputTime,
    ];
    const known = ends.filter((t): t is number => t !== null);
    endTime = known.length ? Math.max(...known) : null;
  }
  // A log without its run record (a run killed at start leaves a 7-byte header) says nothing of how it ended.
  const noRecord = facts !== null && !run && !facts.exit;
  if (noRecord && status === null) status = 'unknown';
  return {
    name: run?.displayName || run?.runId || id,
    status,
    startTime,
    endTime: endTime !== null ? Math.round(endTime) : null,
    timeNote: noRecord && endTime === null ? "The W&B log holds no run record, so when the run ended is unknown" : null,
    gitCommit: run?.git?.commit || facts?.environment?.git?.commit || (typeof git?.commit === 'string' ? git.commit : null) || null,
  };
}

/** Where and how the run ran, as `wandb.*` tags: from the log's run and environment records, else wandb-metadata.json. */
function runTags(facts: LogFacts | null, metadata: Record<string, unknown> | null, offline: boolean, sink: RunSink): void {
  const run = facts?.run;
  const env = facts?.environment;
  const m = metadata ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  const tags: [string, string | undefined][] = [
    ['wandb.mode', offline ? 'offline' : 'online'],
    ['wandb.run_id', run?.runId],
    ['wandb.entity', run?.entity],
    ['wandb.group', run?.runGroup],
    ['wandb.job_type', run?.jobType],
    ['wandb.sweep_id', run?.sweepId],
    ['wandb.notes', run?.notes],
    ['wandb.tags', run?.tags?.length ? run.tags.join(', ') : undefined],
    ['wandb.host', env?.host || run?.host || text(m.host)],
    ['wandb.python', env?.python || text(m.python)],
    ['wandb.os', env?.os || text(m.os)],
    ['wandb.program', env?.program || text(m.program)],
    ['wandb.gpu', env?.gpuType || text(m.gpu)],
    ['wandb.gpu_count', env?.gpuCount ? String(env.gpuCount) : text(m.gpu_count)],
    ['wandb.cuda', env?.cudaVersion || text(m.cudaVersion) || text(m.cuda)],
    ['wandb.git_remote', run?.git?.remoteUrl || env?.git?.remoteUrl || text((m.git as Record<string, unknown> | undefined)?.remote)],
  ];
  for (const [k, v] of tags) if (v) sink.tag(k, v);
}

function withoutInternals(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !isInternalKey(k)));
}

/** W&B writes `startedAt` in UTC, without a zone before 0.19 ("2021-10-19T19:13:02.854468"). */
function isoMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(/([zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
  return Number.isFinite(t) ? t : null;
}

