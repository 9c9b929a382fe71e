// How the idempotency store behaves where Circle and Clive document nothing (key retention, a duplicate
// arriving while the first request is still running, a key whose first request failed). The client must
// cope with every plausible answer, so each one can be switched on, at start-up or through /_sim.
import { z } from 'zod';

export const CONCURRENT_DUPLICATE_MODES = ['wait', 'conflict'] as const;

export interface IdempotencyModes {
  /** Milliseconds a stored key is remembered after its response was stored; null = forever. */
  keyRetention: number | null;
  /** A duplicate arriving while the first request runs: `wait` and replay it, or `conflict` (409 at once). */
  concurrentDuplicate: (typeof CONCURRENT_DUPLICATE_MODES)[number];
  /** Store 4xx/5xx answers too, so a retry with the same key gets the same error again. */
  replayErrors: boolean;
}

/** Today's behaviour, and what Circle's "retry returns the original response" suggests. */
export const DEFAULT_IDEMPOTENCY_MODES: Readonly<IdempotencyModes> = Object.freeze({
  keyRetention: null,
  concurrentDuplicate: 'wait',
  replayErrors: false,
});

/** Any subset of the modes; what is left out keeps the base value. */
export const idempotencyModesSchema = z
  .object({
    keyRetention: z.number().int().min(0).nullable().optional(),
    concurrentDuplicate: z.enum(CONCURRENT_DUPLICATE_MODES).optional(),
    replayErrors: z.boolean().optional(),
  })
  .strict();

export type IdempotencyModesInput = z.input<typeof idempotencyModesSchema>;

/** `base` overridden by the fields `input` gives (already validated). */
export function withModes(base: IdempotencyModes, input: IdempotencyModesInput): IdempotencyModes {
  const defined = Object.entries(input).filter(([, v]) => v !== undefined);
  return { ...base, ...(Object.fromEntries(defined) as Partial<IdempotencyModes>) };
}

/** Start-up options: bad values are a programming error, thrown like the other option checks. */
export function resolveIdempotencyModes(input: IdempotencyModesInput = {}): IdempotencyModes {
  const parsed = idempotencyModesSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || 'idempotency'}: ${i.message}`,
    );
    throw new RangeError(`Invalid idempotency options: ${problems.join('; ')}`);
  }
  return withModes(DEFAULT_IDEMPOTENCY_MODES, parsed.data);
}
