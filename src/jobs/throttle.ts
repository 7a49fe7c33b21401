/**
 * Passes values on at most once per `ms` for each key, always the latest one (a trailing send
 * follows a burst); `urgent` values go at once. For progress streams that may tick thousands of
 * times a second (an index pass reports every folder and every run).
 */
export class KeyedThrottle<T> {
  private readonly pending = new Map<string, { value: T | null; last: number; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly ms: number,
    private readonly send: (value: T) => void,
    private readonly keyOf: (value: T) => string,
    private readonly urgent: (value: T) => boolean = () => false,
  ) {}

  push(value: T): void {
    const key = this.keyOf(value);
    const slot = this.pending.get(key) ?? { value: null, last: 0, timer: null };
    this.pending.set(key, slot);
    const wait = slot.last + this.ms - performance.now();
    if (this.urgent(value) || wait <= 0) {
      this.sendNow(key, value);
      return;
    }
    slot.value = value;
    slot.timer ??= setTimeout(() => slot.value !== null && this.sendNow(key, slot.value), wait);
  }

  /** Forgets what waits for `key` (its stream ended another way: a cancelled pass). */
  drop(key: string): void {
    const slot = this.pending.get(key);
    if (slot?.timer) clearTimeout(slot.timer);
    this.pending.delete(key);
  }

  private sendNow(key: string, value: T): void {
    const slot = this.pending.get(key)!;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.value = null;
    slot.last = performance.now();
    this.send(value);
  }
}
