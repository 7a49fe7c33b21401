import { tensorScalar } from './tensor.js';
import { StringCache, WireReader } from './wire.js';

/** What a decoded event file tells its run. Keys already name the child folder, if any. */
export interface EventSink {
  scalar(key: string, step: number, value: number, wallTime: number): void;
  /** A summary that is not a scalar (histogram, image, text, ...), by the kind TensorBoard shows it as. */
  other(kind: string, key: string): void;
  /** The content of an hparams-plugin summary (a serialized HParamsPluginData). */
  hparams(content: Uint8Array): void;
}

// Field numbers from tensorboard/compat/proto/event.proto and summary.proto.
const EVENT_WALL_TIME = 1;
const EVENT_STEP = 2;
const EVENT_GRAPH_DEF = 4;
const EVENT_SUMMARY = 5;
const EVENT_META_GRAPH_DEF = 9;
const VALUE_TAG = 1;
const VALUE_SIMPLE = 2;
const VALUE_OLD_HISTOGRAM = 3;
const VALUE_IMAGE = 4;
const VALUE_HISTO = 5;
const VALUE_AUDIO = 6;
const VALUE_TENSOR = 8;
const VALUE_METADATA = 9;
const DATA_CLASS_SCALAR = 1;

/** Plugins whose one-number tensors are scalars; '' is a tensor that named no plugin. */
const SCALAR_PLUGINS = new Set(['', 'scalars']);
/** Plugin names as users know them (TensorBoard's dashboard names). */
const KIND_OF_PLUGIN: Record<string, string> = {
  scalars: 'tensors', histograms: 'histograms', images: 'images', audio: 'audio', text: 'text', '': 'tensors',
  graph_keras_model: 'graphs', graph_run_metadata: 'graphs', graph_run_metadata_graph: 'graphs',
};

/**
 * Decodes the Event records of one event file. Writers put a tag's plugin metadata on its first
 * value only, so the plugin seen per tag is remembered across records (and kept for resuming).
 */
export class EventDecoder {
  /** Tag → plugin name, from the first value of each tag that carried metadata. */
  readonly plugins = new Map<string, string>();
  minWallTime = Infinity;
  maxWallTime = -Infinity;
  events = 0;
  /** Records that are CRC-intact but not Event messages: [offset, reason]. */
  readonly malformed: [number, string][] = [];

  private readonly r = new WireReader();
  private readonly strings = new StringCache();
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly sink: EventSink,
    /** The run's child folder holding this file ('' for the run's own files): it names the series. */
    private readonly child = '',
    plugins?: Record<string, string>,
  ) {
    if (plugins) for (const [tag, plugin] of Object.entries(plugins)) this.plugins.set(tag, plugin);
  }

  /** Decodes one record; a record that is not an Event is noted in `malformed`, never thrown. */
  decode(buf: Uint8Array, start: number, end: number, offset: number): void {
    const r = this.r.reset(buf, start, end);
    let wallTime = NaN;
    let step = 0;
    let summaryAt = -1;
    let summaryEnd = -1;
    try {
      while (r.pos < end) {
        const key = r.varint();
        const field = key >>> 3;
        const wire = key & 7;
        if (field === EVENT_WALL_TIME && wire === 1) wallTime = r.double();
        else if (field === EVENT_STEP && wire === 0) step = r.int64();
        else if (field === EVENT_SUMMARY && wire === 2) {
          summaryEnd = r.length() + r.pos;
          summaryAt = r.pos;
          r.pos = summaryEnd;
        } else if ((field === EVENT_GRAPH_DEF || field === EVENT_META_GRAPH_DEF) && wire === 2) {
          r.skip(wire);
          this.sink.other('graphs', this.key(field === EVENT_GRAPH_DEF ? 'graph_def' : 'meta_graph_def'));
        } else r.skip(wire);
      }
      if (summaryAt >= 0) this.summary(summaryAt, summaryEnd, step, wallTime);
    } catch (err) {
      this.malformed.push([offset, (err as Error).message]);
      return;
    }
    this.events++;
    if (wallTime > 0) {
      if (wallTime < this.minWallTime) this.minWallTime = wallTime;
      if (wallTime > this.maxWallTime) this.maxWallTime = wallTime;
    }
  }

  private summary(start: number, end: number, step: number, wallTime: number): void {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const key = r.varint();
      if (key !== 0x0a) {
        r.skip(key & 7);
        continue;
      }
      const valueEnd = r.length() + r.pos;
      this.value(valueEnd, step, wallTime);
      r.pos = valueEnd;
    }
  }

  /** One Summary.Value: its fields are collected first, since metadata may follow the value. */
  private value(end: number, step: number, wallTime: number): void {
    const r = this.r;
    let tag = '';
    let simple = NaN;
    let hasSimple = false;
    let kind = 0;
    let tensorAt = -1;
    let tensorEnd = -1;
    let metaAt = -1;
    let metaEnd = -1;
    while (r.pos < end) {
      const key = r.varint();
      const field = key >>> 3;
      const wire = key & 7;
      if (field === VALUE_TAG && wire === 2) {
        const n = r.length();
        tag = this.strings.read(r.buf, r.pos, r.pos + n);
        r.pos += n;
      } else if (field === VALUE_SIMPLE && wire === 5) {
        simple = r.float();
        hasSimple = true;
      } else if (field === VALUE_TENSOR && wire === 2) {
        tensorEnd = r.length() + r.pos;
        tensorAt = r.pos;
        r.pos = tensorEnd;
      } else if (field === VALUE_METADATA && wire === 2) {
        metaEnd = r.length() + r.pos;
        metaAt = r.pos;
        r.pos = metaEnd;
      } else {
        if (field >= VALUE_OLD_HISTOGRAM && field <= VALUE_AUDIO) kind = field;
        r.skip(wire);
      }
    }
    let plugin = this.plugins.get(tag);
    if (metaAt >= 0) {
      const meta = this.metadata(metaAt, metaEnd);
      if (meta.plugin === 'hparams' && meta.content) this.sink.hparams(meta.content);
      if (plugin === undefined) {
        plugin = meta.plugin === '' && meta.scalar ? 'scalars' : meta.plugin;
        this.plugins.set(tag, plugin);
      }
    }
    plugin ??= '';
    if (plugin === 'hparams') return;
    if (hasSimple) return this.sink.scalar(this.key(tag), step, simple, wallTime);
    if (kind === VALUE_IMAGE) return this.sink.other('images', this.key(tag));
    if (kind === VALUE_HISTO || kind === VALUE_OLD_HISTOGRAM) return this.sink.other('histograms', this.key(tag));
    if (kind === VALUE_AUDIO) return this.sink.other('audio', this.key(tag));
    if (tensorAt < 0) return;
    if (SCALAR_PLUGINS.has(plugin)) {
      const v = tensorScalar(r, tensorAt, tensorEnd);
      if (v !== null) return this.sink.scalar(this.key(tag), step, v, wallTime);
    }
    this.sink.other(KIND_OF_PLUGIN[plugin] ?? plugin, this.key(tag));
  }

  /** SummaryMetadata: the plugin name, its content (for hparams) and whether it declares a scalar. */
  private metadata(start: number, end: number): { plugin: string; content: Uint8Array | null; scalar: boolean } {
    const r = this.r;
    const out = { plugin: '', content: null as Uint8Array | null, scalar: false };
    r.pos = start;
    while (r.pos < end) {
      const key = r.varint();
      if (key === 0x0a) {
        const dataEnd = r.length() + r.pos;
        while (r.pos < dataEnd) {
          const k = r.varint();
          const n = (k & 7) === 2 ? r.length() : -1;
          if (k === 0x0a) out.plugin = this.strings.read(r.buf, r.pos, r.pos + n);
          else if (k === 0x12) out.content = Uint8Array.from(r.buf.subarray(r.pos, r.pos + n)); // the record buffer is reused
          if (n >= 0) r.pos += n;
          else r.skip(k & 7);
        }
      } else if (key === 0x20) out.scalar = r.varint() === DATA_CLASS_SCALAR;
      else r.skip(key & 7);
    }
    return out;
  }

  /**
   * A tag's metric key. Files in a child folder are keyed `<child>/<tag>` (Keras: `validation/epoch_loss`),
   * except torch's `add_scalars(main, {k: v})`, which writes tag `main` into `<main with / as _>_<k>/`:
   * that is keyed `main/k`, the name the user gave.
   */
  private key(tag: string): string {
    if (!this.child) return tag;
    let k = this.keys.get(tag);
    if (k === undefined) {
      const stem = `${tag.replaceAll('/', '_')}_`;
      k = this.child.startsWith(stem) && this.child.length > stem.length ? `${tag}/${this.child.slice(stem.length)}` : `${this.child}/${tag}`;
      this.keys.set(tag, k);
    }
    return k;
  }
}
