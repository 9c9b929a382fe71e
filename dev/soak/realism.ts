// The realism mix (docs/simulator.md, "Realism modes"): which onboardings meet which of the simulator's
// lagging-Circle behaviours, decided from the seed by index like the scenarios. Each onboarding that
// meets one gets it from tags in its client name (`[realism:...]`, `[draft]`) and a stale-read window
// above the read lag; the partner-wide modes (short pages, lagging lists) are set for the whole run.
import { mulberry32 } from '../../simulator/faults';
import type { RealismModesInput } from '../../simulator';

/** The status shown while an application is SUBMITTED or IN_REVIEW, under `unknownApplicationStatus`. */
export const UNKNOWN_APPLICATION_STATUS = 'UNDER_ENHANCED_REVIEW';

/**
 * The per-onboarding modes and the setting each puts in the client name's `[realism:...]` tag: values
 * Circle could plausibly show, kept short so that the run stays about as fast (reviews and activations
 * take 100 ms here). `draft` is the review tag `[draft]`: the reviewer sends the submitted application
 * back to DRAFT once (after any RFI rounds), then decides as the scenario says.
 */
export const SOAK_REALISM_MODES = {
  readLagMs: 'readLagMs=1500',
  rfiListDelayMs: 'rfiListDelayMs=1500',
  notFoundAfterCreateMs: 'notFoundAfterCreateMs=1000',
  unknownApplicationStatus: `unknownApplicationStatus=${UNKNOWN_APPLICATION_STATUS}`,
  unknownAccountStatus: 'unknownAccountStatus=provisioning',
  latencyMs: 'latencyMs=300',
  draft: null,
} as const;

export type SoakRealismMode = keyof typeof SOAK_REALISM_MODES;
export const SOAK_REALISM_MODE_NAMES = Object.keys(SOAK_REALISM_MODES) as SoakRealismMode[];

/** Partner-wide, set globally for the whole run (`PUT /_sim/realism`, share 0: no per-application draw). */
export const SOAK_GLOBAL_REALISM: RealismModesInput = { maxPageSize: 5, listLagMs: 1000 };

/**
 * The input's `options.staleReadWindow` for an onboarding that meets a mode: above the 1.5 s read lag
 * plus a slow read (latency, a delayed or retried request). A real return to DRAFT is believed only
 * once it has passed, so a `[draft]` onboarding takes that much longer.
 */
export const SOAK_STALE_READ_WINDOW = '5 seconds';

/** Onboardings per block: each mode meets `round(share × BLOCK)` of every block of this many. */
export const REALISM_BLOCK = 10;

/**
 * The modes onboarding `index` meets: for each mode, `round(share × 10)` onboardings of every block of
 * 10 consecutive indexes, chosen by a shuffle seeded from the seed, the mode and the block (so a share
 * of 0.1 gives each mode exactly one onboarding in ten, and modes combine where their picks meet).
 */
export function realismAt(seed: number, index: number, share: number): SoakRealismMode[] {
  const picks = Math.round(Math.min(1, Math.max(0, share)) * REALISM_BLOCK);
  if (picks === 0) return [];
  const block = Math.floor(index / REALISM_BLOCK);
  return SOAK_REALISM_MODE_NAMES.filter((_, m) => {
    const random = mulberry32(mix(seed ^ 0x4ea1, block * 31 + m));
    const order = Array.from({ length: REALISM_BLOCK }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order.slice(0, picks).includes(index % REALISM_BLOCK);
  });
}

/** The client-name tags of `modes`: one `[realism:...]` with every setting, then `[draft]` ('' for none). */
export function realismTags(modes: readonly SoakRealismMode[]): string {
  const settings = modes.map((m) => SOAK_REALISM_MODES[m]).filter((s) => s !== null);
  const tags = settings.length ? [`[realism:${settings.join(',')}]`] : [];
  if (modes.includes('draft')) tags.push('[draft]');
  return tags.join(' ');
}

const mix = (a: number, b: number) => Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 1, 0xc2b2ae35);
