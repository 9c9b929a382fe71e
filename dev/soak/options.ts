// The soak's command-line options, shared by `npm run soak` and `npm run cluster` (which adds its own).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../stack-script';

export const SOAK_USAGE_OPTIONS =
  '[--count N] [--seed S] [--concurrency C] [--fault-rate P] [--kill-every S] [--max-kills K] [--timeout S] [--realism-share P]';

export const SOAK_OPTIONS = {
  count: { type: 'string', default: '50' },
  seed: { type: 'string', default: '1' },
  concurrency: { type: 'string', default: '10' },
  'fault-rate': { type: 'string', default: '0.05' },
  'kill-every': { type: 'string', default: '8' },
  'max-kills': { type: 'string' },
  timeout: { type: 'string' },
  'realism-share': { type: 'string', default: '0.1' },
} as const satisfies ParseArgsConfig['options'];

export type SoakArgs = ReturnType<typeof soakArgs>;

/** Parses the command line against `options` (the soak's, or a superset); mistakes are UsageErrors. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(options: O) {
  try {
    return parseArgs({ options }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A number option in [min, max]; integer unless told. */
export function numberOption(
  v: string | undefined,
  name: string,
  min: number,
  max = Infinity,
  integer = true,
) {
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  return n;
}

export function soakArgs(values: Partial<Record<keyof typeof SOAK_OPTIONS, string>>) {
  const num = numberOption;
  const count = num(values.count, 'count', 1);
  return {
    count,
    seed: num(values.seed, 'seed', 0),
    concurrency: num(values.concurrency, 'concurrency', 1),
    faultRate: num(values['fault-rate'], 'fault-rate', 0, 1, false),
    killEveryS: num(values['kill-every'], 'kill-every', 1, Infinity, false),
    // A kill stalls the onboardings it caught for seconds: a few, more for longer runs.
    maxKills:
      values['max-kills'] === undefined
        ? Math.min(10, Math.max(4, Math.ceil(count / 20)))
        : num(values['max-kills'], 'max-kills', 0),
    // Room for the worker kills: an activity running in a killed worker is retried only after its
    // 45 s start-to-close timeout.
    timeoutS: values.timeout === undefined ? 180 + 2 * count : num(values.timeout, 'timeout', 1),
    // Share of onboardings that meet each realism mode, in steps of 0.1 (dev/soak/realism.ts); 0: none.
    realismShare: num(values['realism-share'], 'realism-share', 0, 1, false),
  };
}
