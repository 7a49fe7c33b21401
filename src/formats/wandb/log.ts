import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';
import { describeFsError, openForTail, openRegularFile, PARTIAL_RECORD_GRACE_MS } from '../util/files.js';
import { checkFileHeader, HEADER_SIZE, MAX_WANDB_RECORD_BYTES, readFramedRecords, type ScanReport } from './framing.js';
import type { HistoryReader } from './history.js';
import { decodeRecord, timestampMs, type ConfigRecord, type EnvironmentRecord, type RunRecord, type WandbRecord } from './proto.js';
import { parseWandbJson } from './values.js';

/** What a run's `.wandb` transaction log says about it (history points go straight to the sink). */
export interface LogFacts {
  run: RunRecord | null;
  environment: EnvironmentRecord | null;
  /** The config as W&B holds it: nested, after every update and removal in the log. */
  config: Record<string, unknown>;
  configSeen: boolean;
  exit: { exitCode: number; runtime: number; notComplete: boolean } | null;
  /** Epoch ms of the last console line: a failed run's exit record has no runtime, its output does. */
  lastOutputTime: number | null;
  records: number;
}

const MAX_DAMAGE_LISTED = 5;

/** Streams a `.wandb` file's records into `facts` and `history`; damage becomes problems, never throws. */
export async function readTransactionLog(file: string, sink: RunSink, history: HistoryReader): Promise<LogFacts> {
  const facts: LogFacts = { run: null, environment: null, config: {}, configSeen: false, exit: null, lastOutputTime: null, records: 0 };
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    sink.problem(file, `cannot open: ${describeFsError(err)}`);
    return facts;
  }
  try {
    const { size, mtimeMs } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, HEADER_SIZE));
    await handle.read(head, 0, head.length, 0);
    const bad = checkFileHeader(head);
    if (bad) {
      sink.problem(file, `${bad}; the run's files/ folder was read instead`);
      return facts;
    }
    const report: ScanReport = { end: HEADER_SIZE, damage: [], cutOff: 0 };
    let undecodable = 0;
    let firstUndecodable = 0;
    for await (const { offset, data } of readFramedRecords(handle, size, report)) {
      let record: WandbRecord;
      try {
        record = decodeRecord(data);
      } catch {
        if (undecodable++ === 0) firstUndecodable = offset;
        continue;
      }
      facts.records++;
      apply(record, facts, history);
    }
    for (const d of report.damage.slice(0, MAX_DAMAGE_LISTED)) {
      sink.problem(file, `damaged at byte ${d.offset}: ${d.message}; the records before it were read, and reading went on at the next 32 KiB block`);
    }
    if (report.damage.length > MAX_DAMAGE_LISTED) sink.problem(file, `${report.damage.length - MAX_DAMAGE_LISTED} more damaged places not listed`);
    if (report.oversized) {
      sink.problem(
        file,
        `${report.oversized.length} record(s) over the ${MAX_WANDB_RECORD_BYTES / 2 ** 20} MiB Labdesk reads were skipped, ` +
          `the first at byte ${report.oversized[0]}; the records around them were read`,
      );
    }
    if (undecodable) sink.problem(file, `${undecodable} record(s) are not valid W&B records (the first at byte ${firstUndecodable}); they were skipped`);
    // While the file is fresh a cut-off record is one being written: the next read gets it.
    if (report.cutOff && Date.now() - mtimeMs > PARTIAL_RECORD_GRACE_MS) {
      sink.problem(
        file,
        `the last record is cut off (${report.cutOff} bytes after byte ${report.end}) and the file has not changed for over ` +
          `${PARTIAL_RECORD_GRACE_MS / 60_000} minutes: its writer stopped mid-record, or this is a copy made mid-write; the records before it were read`,
      );
    }
    sink.fileRead(file, report.end, { records: facts.records, rows: history.rows } satisfies LogState);
  } catch (err) {
    sink.problem(file, `cannot read: ${describeFsError(err)}`);
  } finally {
    await handle.close();
  }
  return facts;
}

/** Resume state stored with the log's read offset. */
export interface LogState {
  records: number;
  /** History rows read so far: whether wandb-summary.json stands in for a missing history. */
  rows: number;
}

export function isLogState(state: unknown): state is LogState {
  const s = state as LogState | null;
  return typeof s === 'object' && s !== null && Number.isInteger(s.records) && Number.isInteger(s.rows);
}

/**
 * Reads the records appended to a `.wandb` log since `from`: while a run trains these are history
 * rows, console output and system stats. Returns false, for a whole read instead, on anything
 * that changes what the whole log means (run, config, environment or exit records), on damage,
 * and on history with media (their files are listed by a whole read). A record still being
 * written is left for the next read.
 */
export async function tailTransactionLog(file: string, sink: RunSink, history: HistoryReader, from: { offset: number; state: LogState }): Promise<boolean> {
  const handle = await openForTail(file);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    const report: ScanReport = { end: from.offset, damage: [], cutOff: 0 };
    let records = from.state.records;
    history.rows = from.state.rows;
    for await (const { data } of readFramedRecords(handle, size, report, from.offset)) {
      let record: WandbRecord;
      try {
        record = decodeRecord(data);
      } catch {
        return false;
      }
      if (record.run || record.config || record.environment || record.exit) return false;
      records++;
      if (record.history) history.add(record.history);
    }
    if (report.damage.length || report.oversized || history.problems().length || history.nonScalar.tags().length) return false;
    sink.fileRead(file, report.end, { records, rows: history.rows } satisfies LogState);
    return true;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

function apply(record: WandbRecord, facts: LogFacts, history: HistoryReader): void {
  if (record.history) {
    history.add(record.history);
  } else if (record.run) {
    // A run record is repeated when the run is updated (e.g. a rename): later fields win.
    facts.run = { ...(facts.run ?? {}), ...record.run };
    if (record.run.config) applyConfig(record.run.config, facts);
  } else if (record.config) {
    applyConfig(record.config, facts);
  } else if (record.environment) {
    // One per writer (process); the first is the one that started the run.
    facts.environment ??= record.environment;
  } else if (record.output || record.outputRaw) {
    const t = timestampMs((record.output ?? record.outputRaw)!.timestamp);
    if (t !== null) facts.lastOutputTime = Math.max(facts.lastOutputTime ?? t, t);
  } else if (record.exit) {
    facts.exit = { exitCode: record.exit.exitCode ?? 0, runtime: record.exit.runtime ?? 0, notComplete: record.exit.notComplete ?? false };
  }
}

function applyConfig(update: ConfigRecord, facts: LogFacts): void {
  for (const item of update.update ?? []) {
    const keys = item.key ? [item.key] : (item.nestedKey ?? []);
    const value = parseWandbJson(item.valueJson ?? '');
    if (!keys.length || value === undefined) continue;
    facts.configSeen = true;
    let node = facts.config;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      node = (node[k] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  for (const item of update.remove ?? []) {
    const keys = item.key ? [item.key] : (item.nestedKey ?? []);
    let node: unknown = facts.config;
    for (const k of keys.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    if (node && typeof node === 'object' && keys.length) delete (node as Record<string, unknown>)[keys[keys.length - 1]];
  }
}

/** Start time from the log: the run record's start, else the environment's. */
export function logStartTime(facts: LogFacts): number | null {
  return timestampMs(facts.run?.startTime) ?? timestampMs(facts.environment?.startedAt);
}
