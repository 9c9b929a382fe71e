// The worker's log lines: one JSON object per line (LOG_FORMAT=json, for a log collector) or one
// readable line (text). Either way only scalar metadata is printed: the SDK's ids, types, attempts and
// durations. Objects and arrays (payloads, inputs, documents, failure details) never reach the output.
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';

/** Longer strings are cut: a stray value should not flood the log. */
const MAX_STRING = 2000;

export function createLogger(
  format: 'json' | 'text',
  level: LogLevel = 'INFO',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const formatLine = format === 'json' ? jsonLine : textLine;
  return new DefaultLogger(level, (entry) => write(`${formatLine(entry)}\n`));
}

export function jsonLine(entry: LogEntry): string {
  const { time, level, message, meta } = fields(entry);
  return JSON.stringify({ time, level, message, ...meta });
}

export function textLine(entry: LogEntry): string {
  const { time, level, message, meta } = fields(entry);
  const rest = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
  return `${time} [${level}] ${message}${rest}`;
}

function fields(entry: LogEntry) {
  return {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level,
    message: cut(entry.message),
    meta: safeMeta(entry.meta),
  };
}

/** Scalars as they are, errors as name/type/message/stack; anything else is left out. */
export function safeMeta(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (typeof value === 'string') out[key] = cut(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'bigint') out[key] = value.toString();
    else if (value instanceof Error) out[key] = safeError(value);
  }
  return out;
}

/** An error without its details or cause chain's payloads (a failure's `details` may hold field values). */
function safeError(err: Error): Record<string, string> {
  const type = (err as { type?: unknown }).type;
  const cause = err.cause instanceof Error ? err.cause : undefined;
  return {
    name: err.name,
    ...(typeof type === 'string' ? { type } : {}),
    message: cut(err.message),
    ...(err.stack ? { stack: cut(err.stack) } : {}),
    ...(cause ? { cause: cut(`${cause.name}: ${cause.message}`) } : {}),
  };
}

function cut(s: string): string {
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
}
