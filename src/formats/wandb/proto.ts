import protobuf from 'protobufjs';

/**
 * The subset of wandb/proto/wandb_internal.proto that Labdesk reads, with W&B's field numbers.
 * Fields not listed here are skipped by the decoder, so newer SDKs' additions do no harm.
 * `Timestamp` stands in for google.protobuf.Timestamp (same wire format).
 */
const PROTO = `
syntax = "proto3";
package labdesk.wandb;

message Timestamp { int64 seconds = 1; int32 nanos = 2; }

message Record {
  int64 num = 1;
  HistoryRecord history = 2;
  SummaryRecord summary = 3;
  OutputRecord output = 4;
  ConfigRecord config = 5;
  OutputRecord output_raw = 13;
  RunRecord run = 17;
  RunExitRecord exit = 18;
  EnvironmentRecord environment = 26;
}

message RunRecord {
  string run_id = 1;
  string entity = 2;
  string project = 3;
  ConfigRecord config = 4;
  string run_group = 6;
  string job_type = 7;
  string display_name = 8;
  string notes = 9;
  repeated string tags = 10;
  string sweep_id = 12;
  string host = 13;
  Timestamp start_time = 17;
  bool resumed = 18;
  GitRepoRecord git = 21;
}

message GitRepoRecord { string remote_url = 1; string commit = 2; }

// Console output (OutputRecord and OutputRawRecord share this layout); only its time is read.
message OutputRecord { Timestamp timestamp = 2; }

message RunExitRecord { int32 exit_code = 1; int32 runtime = 2; bool not_complete = 3; }

message HistoryStep { int64 num = 1; }

message HistoryRecord {
  repeated HistoryItem item = 1;
  HistoryStep step = 2;
}

// Newer SDKs may send a typed value instead of (or beside) value_json; readers prefer it.
message HistoryItem {
  string key = 1;
  repeated string nested_key = 2;
  oneof value {
    int32 none = 3;
    bool boolean = 4;
    sint64 integer = 5;
    double number = 6;
    string text = 7;
    string json = 8;
  }
  string value_json = 16;
}

message ConfigRecord { repeated ConfigItem update = 1; repeated ConfigItem remove = 2; }
message ConfigItem { string key = 1; repeated string nested_key = 2; string value_json = 16; }

message SummaryRecord { repeated SummaryItem update = 1; repeated SummaryItem remove = 2; }
message SummaryItem { string key = 1; repeated string nested_key = 2; string value_json = 16; }

// wandb-core 0.19+ writes the run's environment (what wandb-metadata.json holds) into the log.
message EnvironmentRecord {
  string os = 1;
  string python = 2;
  Timestamp started_at = 3;
  string program = 6;
  GitRepoRecord git = 9;
  string root = 11;
  string host = 12;
  string executable = 14;
  uint32 cpu_count = 16;
  string gpu_type = 18;
  uint32 gpu_count = 19;
  string cuda_version = 25;
}
`;

export interface Timestamp { seconds?: number; nanos?: number }
export interface GitRepo { remoteUrl?: string; commit?: string }
export interface KeyedItem { key?: string; nestedKey?: string[]; valueJson?: string }
export interface HistoryItem extends KeyedItem {
  none?: number;
  boolean?: boolean;
  integer?: number;
  number?: number;
  text?: string;
  json?: string;
  value?: 'none' | 'boolean' | 'integer' | 'number' | 'text' | 'json';
}
export interface HistoryRecord { item?: HistoryItem[]; step?: { num?: number } }
export interface ConfigRecord { update?: KeyedItem[]; remove?: KeyedItem[] }
export interface RunRecord {
  runId?: string;
  entity?: string;
  project?: string;
  config?: ConfigRecord;
  runGroup?: string;
  jobType?: string;
  displayName?: string;
  notes?: string;
  tags?: string[];
  sweepId?: string;
  host?: string;
  startTime?: Timestamp;
  resumed?: boolean;
  git?: GitRepo;
}
export interface EnvironmentRecord {
  os?: string;
  python?: string;
  startedAt?: Timestamp;
  program?: string;
  git?: GitRepo;
  root?: string;
  host?: string;
  executable?: string;
  cpuCount?: number;
  gpuType?: string;
  gpuCount?: number;
  cudaVersion?: string;
}
/** A decoded record; only the fields Labdesk reads, absent when not set. */
export interface WandbRecord {
  num?: number;
  history?: HistoryRecord;
  summary?: ConfigRecord;
  output?: { timestamp?: Timestamp };
  outputRaw?: { timestamp?: Timestamp };
  config?: ConfigRecord;
  run?: RunRecord;
  exit?: { exitCode?: number; runtime?: number; notComplete?: boolean };
  environment?: EnvironmentRecord;
}

const RecordType = protobuf.parse(PROTO, { keepCase: false }).root.lookupType('labdesk.wandb.Record');

/** Decodes one record; throws (a protobufjs error) when the bytes are not a valid Record. */
export function decodeRecord(data: Uint8Array): WandbRecord {
  const message = RecordType.decode(data);
  // Plain objects with int64 as numbers: steps and timestamps stay far below 2^53.
  return RecordType.toObject(message, { longs: Number, oneofs: true }) as WandbRecord;
}

/** A history/config/summary item's key: `key`, or the nested key path joined with dots. */
export function itemKey(item: KeyedItem): string {
  if (item.key) return item.key;
  return (item.nestedKey ?? []).join('.');
}

/** Epoch milliseconds of a protobuf Timestamp, or null when unset. */
export function timestampMs(ts: Timestamp | undefined): number | null {
  if (!ts || (!ts.seconds && !ts.nanos)) return null;
  return (ts.seconds ?? 0) * 1000 + Math.round((ts.nanos ?? 0) / 1e6);
}
