// Size and time limits checked at the door (the input) and by the workflow's message validators, so an
// oversized payload is refused with the limit in the message before any call to Circle.
import { DAY, SECOND, YEAR } from './durations';

/** All section data of one input or one `provideSectionData` update, as JSON. */
export const MAX_SECTIONS_BYTES = 512 * 1024;
/** One RFI answer, as JSON. */
export const MAX_RFI_ANSWER_BYTES = 64 * 1024;

/** Poll intervals: at least a second (Circle's rate limits), at most a day (a wait must notice things). */
export const MIN_POLL_INTERVAL_MS = SECOND;
export const MAX_POLL_INTERVAL_MS = DAY;
/** Every business deadline: at most a year. */
export const MAX_DEADLINE_MS = YEAR;

/** UTF-8 size of `value` as JSON (what Temporal stores and Circle receives). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return bytes;
}

/**
 * How long a wait that Circle notifies polls while notifications are flowing: a backstop for a
 * notification lost for good (SNS retries the others), not the way the change is seen. One read a day
 * instead of 144: a lap is 11 history events and about 18 server requests, so one a day keeps a
 * parked onboarding within 30 server requests a day and 150 events a week (docs/demo-and-bench.md).
 */
export const BACKSTOP_POLL_MS = 24 * 60 * 60 * 1000;
