// What Linux says about a process (/proc): resident memory, CPU time, and the children of this one.
// Elsewhere every reading is undefined, and the scripts report what they could not measure.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux the scripts run on. */
const TICKS_PER_SECOND = 100;

export function vmRssMiB(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** User + system CPU time the process has used so far, in milliseconds. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3; utime is 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Child processes of `parent` whose command line contains `needle`. */
export function childPids(parent: number, needle: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false; // gone meanwhile
    }
  });
}

/**
 * Starts counting the CPU time of the named processes: the function it returns gives each one's
 * milliseconds since then (undefined for a process it cannot read, or a pid that is undefined).
 */
export function cpuMeter<K extends string>(
  pids: Record<K, number | undefined>,
): () => Record<K, number | undefined> {
  const read = (pid: number | undefined) => (pid === undefined ? undefined : cpuMs(pid));
  const keys = Object.keys(pids) as K[];
  const before = new Map(keys.map((k) => [k, read(pids[k])]));
  return () =>
    Object.fromEntries(
      keys.map((k) => {
        const [a, b] = [before.get(k), read(pids[k])];
        return [k, a === undefined || b === undefined ? undefined : b - a];
      }),
    ) as Record<K, number | undefined>;
}

/** The Temporal dev server this process started (the CLI's `server start-dev`), if any. */
export function devServerPid(): number | undefined {
  return childPids(process.pid, 'start-dev')[0];
}
