// What the variable schemas of every subsystem share: numbers with a default, and comma lists.
import { z } from 'zod';
import { isLoopbackHost } from '../temporal/connection';

/** A whole number above zero, `fallback` when unset. */
export const positiveInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A TCP port to listen on (0: any free one), `fallback` when unset. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A comma-separated list, blanks dropped. */
export const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The issues of one subsystem's variables, each named by its variable. */
export const problemsOf = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

/** True for a loopback URL; an invalid one is reported by its own check, not by the rules using this. */
export function isLoopback(url: string): boolean {
  if (!URL.canParse(url)) return true;
  return isLoopbackHost(new URL(url).hostname);
}
