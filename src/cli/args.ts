// Argument parsing shared by the commands: flags, required values, and JSON given inline or as @file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A mistake in the command line: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

export function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${flag}`);
  return value;
}

/** `--data` takes inline JSON or `@path/to/file.json`. */
export function readJson(arg: string, flag: string): unknown {
  let text = arg;
  if (arg.startsWith('@')) {
    try {
      text = readFileSync(arg.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --${flag} file ${arg.slice(1)}: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`);
  }
}
