// WORKER_MEMORY_BUDGET_MB -> how many workflows one worker keeps cached. A waiting onboarding costs
// memory only while it is cached; an evicted one costs a replay of its history when it wakes (a poll,
// an answer, a signal). Both figures are measured by `npm run -s bench -- --count 0 --parked 1000`
// (docs/demo-and-bench.md): a started worker holds 165 to 185 MiB, and each cached onboarding about
// 0.66 MiB (the workflow's own copy of the bundle's modules and the SDK's per-run state).

/** A started worker (Node, the SDK's core, three task-queue workers, the workflow bundle), with room. */
export const WORKER_BASE_MIB = 256;
/**
 * One cached onboarding: 0.66 MiB measured with every onboarding cached, more while a full cache
 * evicts. At 0.75 a budget of 512 MiB measured 482 MiB with 1000 parked (516 without
 * MALLOC_ARENA_MAX=2: native memory, not the cache); a smaller cache (0.9: 284 instead of 341)
 * measured the same within noise and parked slower, replaying evicted onboardings.
 */
export const MIB_PER_CACHED_WORKFLOW = 0.75;
/** Below this a worker would cache almost nothing and replay every wake-up. */
export const MIN_MEMORY_BUDGET_MIB = 320;

/** The workflow cache that keeps a worker's RSS within `budgetMiB` (src/config/worker.ts holds it to the minimum). */
export function cachedWorkflowsFor(budgetMiB: number): number {
  return Math.floor((budgetMiB - WORKER_BASE_MIB) / MIB_PER_CACHED_WORKFLOW);
}

/**
 * The V8 heap limit (`--max-old-space-size`, per thread: the SDK runs workflows in a thread of their
 * own) that goes with a budget. Without one, V8 sizes the heap from the machine and collects late:
 * evicted onboardings' garbage then pushes the RSS past the budget however small the cache.
 */
export function heapLimitFor(budgetMiB: number): number {
  return Math.floor(budgetMiB * 0.4);
}

/** What to tell the operator when the process's heap limit is too large for its budget, if anything. */
export function heapLimitAdvice(budgetMiB: number, heapLimitMiB: number): string | undefined {
  const wanted = heapLimitFor(budgetMiB);
  if (heapLimitMiB <= wanted * 1.1) return undefined;
  return `WORKER_MEMORY_BUDGET_MB=${budgetMiB}, but Node's heap may grow to ${Math.round(heapLimitMiB)} MiB per thread: start the worker with NODE_OPTIONS=--max-old-space-size=${wanted} to stay within the budget`;
}
