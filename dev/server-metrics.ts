// What the Temporal server did, counted from its Prometheus endpoint (`--metrics-port` of the dev
// server): requests per service and operation, and persistence (database) requests per operation.
// Counts do not drift with the machine's load the way CPU seconds do, so they show what a change to
// the workflow saves the server even on a noisy machine. Visibility (search) store writes count as
// persistence requests named `visibility/<operation>`.
import { round } from './local-tools';

/** Counter name → `service/operation` (or `operation`) → value, summed over the other labels. */
export type ServerCounts = Record<'requests' | 'persistence', Map<string, number>>;

const LINE = /^(service_requests|persistence_requests|visibility_persistence_requests)\{([^}]*)\}\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses the counters this module cares about out of Prometheus text exposition format. */
export function parseServerCounts(text: string): ServerCounts {
  const counts: ServerCounts = { requests: new Map(), persistence: new Map() };
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[2]!.matchAll(LABEL)].map((l) => [l[1]!, l[2]!]));
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const [map, key] =
      m[1] === 'service_requests'
        ? [counts.requests, `${labels.service_name ?? '?'}/${labels.operation ?? '?'}`]
        : m[1] === 'persistence_requests'
          ? [counts.persistence, labels.operation ?? '?']
          : [counts.persistence, `visibility/${labels.operation ?? '?'}`];
    map.set(key, (map.get(key) ?? 0) + value);
  }
  return counts;
}

export async function scrapeServerCounts(url: string): Promise<ServerCounts> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`server metrics at ${url}: HTTP ${res.status}`);
  return parseServerCounts(await res.text());
}

export interface ServerCost {
  /** gRPC requests the server's services handled (frontend, history, matching) per onboarding. */
  requests: number;
  /** Database requests per onboarding. */
  persistenceRequests: number;
  /** The most frequent of each, per onboarding, largest first. */
  topRequests: Record<string, number>;
  topPersistence: Record<string, number>;
}

/** What happened between two scrapes, per onboarding (`n` of them), to one decimal. */
export function serverCostBetween(
  before: ServerCounts,
  after: ServerCounts,
  n: number,
  top = 30,
): ServerCost {
  const per = (kind: keyof ServerCounts) => {
    const rows = [...after[kind]]
      .map(([key, value]) => [key, (value - (before[kind].get(key) ?? 0)) / n] as const)
      .filter(([, value]) => value > 0)
      .sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((sum, [, value]) => sum + value, 0);
    return {
      total: round(total),
      top: Object.fromEntries(rows.slice(0, top).map(([k, v]) => [k, round(v)])),
    };
  };
  const requests = per('requests');
  const persistence = per('persistence');
  return {
    requests: requests.total,
    persistenceRequests: persistence.total,
    topRequests: requests.top,
    topPersistence: persistence.top,
  };
}

/**
 * Starts counting at the server's metrics endpoint (none: nothing is counted): the function it returns
 * gives the cost since then for `n` onboardings. Call both once the work before them is done.
 */
export async function serverMeter(
  url: string | undefined,
): Promise<(n: number) => Promise<ServerCost | undefined>> {
  if (!url) return async () => undefined;
  const before = await settledCounts(url);
  return async (n) => serverCostBetween(before, await settledCounts(url), n);
}

/**
 * The server publishes its counters about once a second: a scrape right after some work misses its
 * last requests. Scrapes until two a second apart count the same requests (at most 10 s); database
 * requests are not compared, as the server's own background reads go on while it is idle.
 */
export async function settledCounts(url: string): Promise<ServerCounts> {
  const requests = (c: ServerCounts) => [...c.requests.values()].reduce((a, b) => a + b, 0);
  let last = await scrapeServerCounts(url);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const next = await scrapeServerCounts(url);
    if (requests(next) === requests(last)) return next;
    last = next;
  }
  return last;
}
