// Read lag: what a resource looked like at each change, so that a GET can answer the state of some time
// ago. Snapshots are stored serialised (compared cheaply, never shared with live records) and dropped
// once a newer one is old enough to answer every lagged read.

/** Hard bound per resource, whatever the lag: a resource rewritten in a tight loop keeps the newest. */
const MAX_SNAPSHOTS = 200;

export class SnapshotHistory<T> {
  private entries: { at: number; json: string }[] = [];

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** Adds the view as of `at` (ms) unless it equals the newest one; drops what a `lagMs` read no longer needs. */
  record(at: number, view: T, lagMs: number): void {
    const json = JSON.stringify(view);
    const last = this.entries[this.entries.length - 1];
    if (last?.json === json) return;
    this.entries.push({ at: Math.max(at, last?.at ?? at), json });
    if (this.entries.length > MAX_SNAPSHOTS) this.entries.splice(0, this.entries.length - MAX_SNAPSHOTS);
    this.prune(at - lagMs);
  }

  /** The newest snapshot at or before `asOf`; if none is that old, the oldest. */
  at(asOf: number): T {
    this.prune(asOf);
    return JSON.parse(this.entries[0]!.json) as T;
  }

  /** Drops the snapshots older than the newest one at or before `asOf` (no read can need them). */
  private prune(asOf: number): void {
    let i = this.entries.length - 1;
    while (i > 0 && this.entries[i]!.at > asOf) i--;
    if (i > 0) this.entries.splice(0, i);
  }
}
