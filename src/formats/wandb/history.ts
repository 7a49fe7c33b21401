import type { RunSink } from '../adapter.js';
import { itemKey, type HistoryItem, type HistoryRecord } from './proto.js';
import { isInternalKey, leavesOf, NonScalarKeys, parseWandbJson } from './values.js';

/** A history item's value: the typed field when the SDK set one (newer wandb-core), else value_json. */
export function historyItemValue(item: HistoryItem): { value: unknown } | null {
  switch (item.value) {
    case 'none':
      return { value: null };
    case 'boolean':
      return { value: item.boolean ?? false };
    case 'integer':
      return { value: item.integer ?? 0 };
    case 'number':
      return { value: item.number ?? 0 };
    case 'text':
      return { value: item.text ?? '' };
    case 'json':
      return jsonValue(item.json ?? '');
    default:
      return jsonValue(item.valueJson ?? '');
  }
}

function jsonValue(text: string): { value: unknown } | null {
  const value = parseWandbJson(text);
  return value === undefined ? null : { value };
}

/**
 * Turns history rows (one per `wandb.log` step) into metric points. The step is the row's `_step`
 * (or the record's step number), the wall time its `_timestamp` in epoch seconds.
 */
export class HistoryReader {
  rows = 0;
  lastWallTime: number | null = null;
  readonly nonScalar = new NonScalarKeys();
  private badValues = 0;
  private badExample = '';

  constructor(private readonly sink: RunSink) {}

  add(record: HistoryRecord): void {
    const values = new Map<string, unknown>();
    for (const item of record.item ?? []) {
      const key = itemKey(item);
      const parsed = historyItemValue(item);
      if (parsed === null) {
        if (this.badValues++ === 0) this.badExample = `${key}=${(item.valueJson ?? '').slice(0, 40)}`;
        continue;
      }
      values.set(key, parsed.value);
    }
    const stepValue = values.get('_step');
    const step = typeof stepValue === 'number' ? stepValue : (record.step?.num ?? this.rows);
    const time = values.get('_timestamp');
    const wallTime = typeof time === 'number' ? time : undefined;
    if (wallTime !== undefined) this.lastWallTime = wallTime;
    this.rows++;
    for (const [key, value] of values) {
      if (isInternalKey(key)) continue;
      for (const leaf of leavesOf(key, value)) {
        if (leaf.kind === 'number' && 'value' in leaf) this.sink.point(leaf.key, step, leaf.value, wallTime);
        else this.nonScalar.add(leaf);
      }
    }
  }

  /** Problems found on the way, as sentences. */
  problems(): string[] {
    if (!this.badValues) return [];
    return [`${this.badValues} history value(s) are not valid JSON, e.g. ${this.badExample}; they were skipped`];
  }
}
