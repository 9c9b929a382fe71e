// One timer for all delayed work (review steps, account activation): tasks sit in a queue ordered by
// due time and a single setTimeout is armed for the earliest. Keyed tasks can be replaced or cancelled,
// and clear() drops everything, so reset() and close() leave no timer behind.

interface Task {
  key: string;
  due: number;
  seq: number;
  run: () => void;
}

export class Scheduler {
  private readonly byKey = new Map<string, Task>();
  private queue: Task[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private seq = 0;

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  /** Runs `run` after `delayMs`, replacing any task already scheduled under `key`. */
  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    const task: Task = { key, due: Date.now() + Math.max(0, delayMs), seq: this.seq++, run };
    this.byKey.set(key, task);
    // Binary search keeps the queue sorted by (due, seq) without re-sorting.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid]!.due <= task.due) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, task);
    this.arm();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  cancel(key: string): void {
    const task = this.byKey.get(key);
    if (!task) return;
    this.byKey.delete(key);
    this.queue.splice(this.queue.indexOf(task), 1);
    this.arm();
  }

  clear(): void {
    this.byKey.clear();
    this.queue = [];
    this.arm();
  }

  get size(): number {
    return this.queue.length;
  }

  private arm(): void {
    const due = this.queue[0]?.due ?? Infinity;
    if (due === this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = due;
    if (due === Infinity) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    // Take the due tasks first: work they schedule (even with delay 0) runs on a later turn.
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.due <= now) n++;
    const due = this.queue.splice(0, n);
    for (const task of due) this.byKey.delete(task.key);
    for (const task of due) {
      try {
        task.run();
      } catch (err) {
        this.onError(err);
      }
    }
    this.arm();
  }
}
