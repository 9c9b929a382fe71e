// When a history event happened, in epoch milliseconds (server time; the server runs on this machine).
import type { temporal } from '@temporalio/proto';

export const msOf = (t: temporal.api.history.v1.IHistoryEvent['eventTime']): number =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
