/**
 * The second plug-in shape beside the format `Adapter`: an inspector reads one kind of file (a model
 * checkpoint, a Parquet dataset) wherever the walk finds it, also inside a folder an adapter claimed
 * for a run. `matches` judges by name alone; `inspect` reads, bounded, and reports what it found.
 */
import type { DatasetRecord, ModelRecord } from './adapter.js';

export type { DatasetRecord } from './adapter.js';

/** A file the walk offers to inspectors (no bytes read yet). */
export interface InspectedFile {
  /** Absolute path. */
  path: string;
  name: string;
  /** The run whose folder (claimed by an adapter) holds the file, if any. */
  insideRun: { format: string; path: string } | null;
}

/** What an inspection reports. A bad file is a `problem`, never a throw. */
export interface InspectionSink {
  model(model: ModelRecord): void;
  dataset(dataset: DatasetRecord): void;
  problem(path: string, message: string): void;
}

export interface Inspector {
  /** What it finds, stored with its entries' file memberships (e.g. "safetensors"). */
  kind: string;
  /** What users call it (e.g. "safetensors model files"). */
  label: string;
  /** Whether to inspect this file, from its name and place only. */
  matches(file: InspectedFile): boolean;
  /** Reads the file (never runs anything it holds) into the sink. Throws only on bugs. */
  inspect(file: InspectedFile, sink: InspectionSink): Promise<void>;
}
