// Fault injection for the Circle and Clive routes: rules say which requests (method + path pattern) get
// an error, a dropped connection (before or after the operation commits) or a delay (before the request
// is handled, or while it holds its idempotency key), how many times, and with which probability. The
// random source is seeded so a run can be repeated exactly.
import { z } from 'zod';

const FAULT_MODES = ['error', 'drop', 'drop-after-commit', 'delay', 'delay-in-progress'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const faultRuleSchema = z
  .object({
    method: z
      .string()
      .regex(/^(\*|[A-Za-z]+)$/, 'method must be an HTTP method or "*"')
      .default('*')
      .transform((m) => m.toUpperCase()),
    path: z.string().regex(/^\/[^?#\s]*$/, 'path must start with "/" and hold no query string'),
    mode: z.enum(FAULT_MODES),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    delayMs: z.number().int().min(0).max(60_000).optional(),
    times: z.number().int().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((r) => (r.mode !== 'delay' && r.mode !== 'delay-in-progress') || r.delayMs !== undefined, {
    message: 'delay rules need delayMs',
    path: ['delayMs'],
  })
  // Only POSTs claim idempotency keys; on anything else the rule would be spent doing nothing.
  .refine((r) => r.mode !== 'delay-in-progress' || r.method === 'POST', {
    message: 'delay-in-progress rules need method POST',
    path: ['method'],
  })
  .refine((r) => r.mode === 'error' || r.status === undefined, {
    message: 'status only applies to error rules',
    path: ['status'],
  });

export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** `PUT /_sim/faults` body: a list of rules, or `{ rules, seed }` to fix the random source. */
export const faultsBodySchema = z.union([
  z.array(faultRuleSchema),
  z.object({ rules: z.array(faultRuleSchema), seed: z.number().int().optional() }).strict(),
]);

export interface ActiveFault extends FaultRule {
  /** Requests it may still apply to (null = unlimited). */
  remaining: number | null;
  applied: number;
}

const DEFAULT_SEED = 1;

export class FaultInjector {
  private rules: { rule: ActiveFault; segments: string[] }[] = [];
  private random = mulberry32(DEFAULT_SEED);

  set(rules: readonly FaultRule[], seed = DEFAULT_SEED): void {
    this.random = mulberry32(seed);
    this.rules = rules.map((r) => ({
      rule: { ...r, remaining: r.times ?? null, applied: 0 },
      segments: r.path.split('/').slice(1),
    }));
  }

  clear(): void {
    this.set([]);
  }

  list(): ActiveFault[] {
    return this.rules.map(({ rule }) => ({ ...rule }));
  }

  /** The first rule that matches and fires for this request, with its counters updated. */
  pick(method: string, path: string): ActiveFault | undefined {
    if (this.rules.length === 0) return undefined;
    const segments = path.split('/').slice(1);
    for (const { rule, segments: pattern } of this.rules) {
      if (rule.remaining === 0) continue;
      if (rule.method !== '*' && rule.method !== method.toUpperCase()) continue;
      if (!matches(pattern, segments)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.remaining !== null) rule.remaining--;
      rule.applied++;
      return { ...rule };
    }
    return undefined;
  }
}

/** Exact segments; `*` matches one segment, `**` the rest of the path (zero or more segments). */
function matches(pattern: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '**') return true;
    const s = path[i];
    if (s === undefined) return false;
    if (p !== '*' && p !== s) return false;
    if (p === '*' && s === '') return false;
  }
  return pattern.length === path.length;
}

// Small seeded PRNG (mulberry32): deterministic fault sequences for a given seed and request order.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
