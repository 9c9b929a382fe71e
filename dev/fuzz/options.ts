// `npm run fuzz`'s command line. A failure report prints the line that replays it: the same `--seed`,
// fast-check's `--path` of the shrunk case and the commands' `--replay-path`.
import { numberOption, parseCommandLine } from '../soak/options';
import { UsageError } from '../stack-script';

export const FUZZ_USAGE_OPTIONS =
  '[--runs N] [--seed S] [--path P] [--replay-path R] [--max-commands C] [--no-shrink] [--no-restarts] [--local-calls] [--without A,B] [--time-limit S] [--trace]';

const FUZZ_OPTIONS = {
  runs: { type: 'string', default: '10' },
  seed: { type: 'string' },
  path: { type: 'string' },
  'replay-path': { type: 'string' },
  'max-commands': { type: 'string', default: '8' },
  'no-shrink': { type: 'boolean', default: false },
  'no-restarts': { type: 'boolean', default: false },
  'local-calls': { type: 'boolean', default: false },
  'time-limit': { type: 'string' },
  without: { type: 'string', default: '' },
  trace: { type: 'boolean', default: false },
} as const;

export type FuzzArgs = ReturnType<typeof fuzzArgs>;

export function fuzzArgs() {
  const v = parseCommandLine(FUZZ_OPTIONS);
  if (v.path !== undefined && !/^\d+(:\d+)*$/.test(v.path))
    throw new UsageError('--path must look like 3:0:1');
  return {
    runs: numberOption(v.runs, 'runs', 1),
    // Printed at the start and in the summary, so that any run can be repeated.
    seed: v.seed === undefined ? Date.now() % 2 ** 31 : numberOption(v.seed, 'seed', -(2 ** 31), 2 ** 31 - 1),
    path: v.path,
    replayPath: v['replay-path'],
    maxCommands: numberOption(v['max-commands'], 'max-commands', 1, 50),
    shrink: !v['no-shrink'],
    restarts: !v['no-restarts'],
    /** The worker calls Circle from local activities (WORKER_LOCAL_CIRCLE_CALLS=true). */
    localCalls: v['local-calls'],
    // Commands left out (by name, e.g. Reset,Cancel): to look past a known finding, never to hide one.
    without: v.without.split(',').filter(Boolean),
    /** Print every sequence's trace, not only a failed one's. */
    trace: v.trace,
    // Stops generating (and shrinking) after this long; what ran is still reported.
    timeLimitS: v['time-limit'] === undefined ? undefined : numberOption(v['time-limit'], 'time-limit', 1),
  };
}

/**
 * The command line that replays a failure: fast-check's seed and path, the commands' replay path, and
 * the options that change what is generated (the same seed draws other sequences without them).
 */
export function reproduceLine(args: FuzzArgs, path: string | null, replayPath: string | undefined): string {
  return [
    'npm run fuzz --',
    `--seed ${args.seed}`,
    path ? `--path ${path}` : '',
    replayPath ? `--replay-path '${replayPath}'` : '',
    args.maxCommands !== 8 ? `--max-commands ${args.maxCommands}` : '',
    args.without.length ? `--without ${args.without.join(',')}` : '',
    args.restarts ? '' : '--no-restarts',
    args.localCalls ? '--local-calls' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
