// Durations at the door: milliseconds, Temporal's strings ("30 seconds", "2h", "14 days") or ISO-8601
// ("PT30S", "P14D"), each bounded so that a typo cannot make a timer overflow or a poll never happen.
import { msToNumber, type Duration } from '@temporalio/common';

export const SECOND = 1000;
export const DAY = 24 * 60 * 60 * SECOND;
export const YEAR = 365 * DAY;

// Years and months have no fixed length, so ISO-8601 is accepted with weeks, days, hours, minutes, seconds.
const ISO =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const ISO_UNITS = [7 * DAY, DAY, 3600 * SECOND, 60 * SECOND, SECOND];

/** Milliseconds, or undefined when `value` is not a duration. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const iso = ISO.exec(value.trim());
  if (iso && value.trim().toUpperCase() !== 'P' && !/T$/i.test(value.trim())) {
    return iso.slice(1).reduce((ms, part, i) => ms + (part ? Number(part) * ISO_UNITS[i]! : 0), 0);
  }
  try {
    const ms = msToNumber(value as Duration);
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** "1 second", "3 days": how the bounds read in error messages. */
export function describeMs(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  if (ms % SECOND === 0) return `${ms / SECOND} second${ms === SECOND ? '' : 's'}`;
  return `${ms} ms`;
}
