// Realism modes: behaviour Circle does not rule out but an idealised simulator never shows (reads that
// lag behind writes, RFIs listed after the status that announces them, 404 right after a create, short
// pages, lists that lag, statuses the docs do not list, slow answers). All off by default. They are set
// globally (start-up option, SIM_REALISM, PUT /_sim/realism), drawn per application with a seeded
// share, overridden per application (PUT /_sim/applications/{id}/realism) or by a `[realism:...]` tag
// in the client name. How the routes serve them is in realism-serve.ts; read-lag history in
// realism-history.ts.
import { z } from 'zod';
import { circleFail } from './errors';
import { mulberry32 } from './faults';

export interface RealismModes {
  /** GETs of an application, its sections list, its RFI list and of an account answer the resource as it was this many ms ago (the state before recent writes). 0 = off. */
  readLagMs: number;
  /** RFI bundles issued with a move to PENDING_CUSTOMER_INFORMATION appear in GET .../rfis (and in the application's pendingRfis) only this many ms after the status change. 0 = off. */
  rfiListDelayMs: number;
  /** GET of a client, application or account by id answers 404 (Circle's 404 body for that resource) for this many ms after it was created. 0 = off. */
  notFoundAfterCreateMs: number;
  /** Lists (GET /v1/partner/clients, GET /v1/onboarding/partner/applications, GET /v1/accounts) return at most this many items per page, whatever page size the caller asks (cursors as documented). null = off. */
  maxPageSize: number | null;
  /** A created item appears in those lists only this many ms after its creation (eventually consistent lists). 0 = off. */
  listLagMs: number;
  /** While an application is SUBMITTED or IN_REVIEW, GETs show this status instead (a value the docs do not list, e.g. "UNDER_ENHANCED_REVIEW"). null = off. */
  unknownApplicationStatus: string | null;
  /** While an account is pending, GETs (and the create response) show this status instead (e.g. "provisioning"). null = off. */
  unknownAccountStatus: string | null;
  /** Every Circle response (not /_sim) is delayed by this many ms (for responses close to the client's timeout). 0 = off. */
  latencyMs: number;
}

export const DEFAULT_REALISM_MODES: Readonly<RealismModes> = Object.freeze({
  readLagMs: 0,
  rfiListDelayMs: 0,
  notFoundAfterCreateMs: 0,
  maxPageSize: null,
  listLagMs: 0,
  unknownApplicationStatus: null,
  unknownAccountStatus: null,
  latencyMs: 0,
});

export const REALISM_MODE_NAMES = Object.keys(DEFAULT_REALISM_MODES) as (keyof RealismModes)[];

/** Longest lag or delay accepted (10 minutes): longer would only make a test hang. */
export const REALISM_MAX_MS = 600_000;

const ms = z.number().int().min(0).max(REALISM_MAX_MS);
const status = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a status is 1..64 letters, digits, _ or -, starting with a letter')
  .nullable();

/** Any subset of the modes; what is left out keeps the base value. */
export const realismModesSchema = z
  .object({
    readLagMs: ms.optional(),
    rfiListDelayMs: ms.optional(),
    notFoundAfterCreateMs: ms.optional(),
    maxPageSize: z.number().int().min(1).max(100).nullable().optional(),
    listLagMs: ms.optional(),
    unknownApplicationStatus: status.optional(),
    unknownAccountStatus: status.optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();

export type RealismModesInput = z.input<typeof realismModesSchema>;

const share = z.number().min(0).max(1);
const seed = z.number().int();

/** `PUT /_sim/realism`. */
export const realismBodySchema = z
  .object({ modes: realismModesSchema.optional(), share: share.optional(), seed: seed.optional() })
  .strict();
export type RealismBody = z.input<typeof realismBodySchema>;

/** The start-up option and `SIM_REALISM`: the modes flat, plus `share` and `seed`. */
export const realismOptionsSchema = realismModesSchema
  .extend({ share: share.optional(), seed: seed.optional() })
  .strict();
export type RealismOptions = Partial<RealismModes> & { share?: number; seed?: number };

export interface RealismConfig {
  modes: RealismModes;
  /** Probability that an application created from now on gets `modes` (else all off). */
  share: number;
  /** Seed of the draw, so that a run repeats exactly. */
  seed: number;
}

export const DEFAULT_REALISM_SEED = 1;

/** `base` overridden by the fields `input` gives (already validated). */
export function withRealism(base: RealismModes, input: RealismModesInput = {}): RealismModes {
  const defined = Object.entries(input).filter(([, v]) => v !== undefined);
  return { ...base, ...(Object.fromEntries(defined) as Partial<RealismModes>) };
}

/** Start-up options: bad values are a programming error, thrown like the other option checks. */
export function resolveRealismOptions(input: RealismOptions = {}): RealismConfig {
  const parsed = realismOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || 'realism'}: ${i.message}`,
    );
    throw new RangeError(`Invalid realism options: ${problems.join('; ')}`);
  }
  const { share: s, seed: n, ...modes } = parsed.data;
  return {
    modes: withRealism(DEFAULT_REALISM_MODES, modes),
    share: s ?? 1,
    seed: n ?? DEFAULT_REALISM_SEED,
  };
}

const TAG = /\[realism:([^\]]*)\]/gi;
const NUMERIC: readonly (keyof RealismModes)[] = [
  'readLagMs',
  'rfiListDelayMs',
  'notFoundAfterCreateMs',
  'listLagMs',
  'latencyMs',
];

/**
 * The modes of `[realism:key=value,...]` tags in a client name (keys case-insensitive; numbers for the
 * numeric modes, `null` or `off` to switch a nullable one off), or undefined without a tag. A bad key or
 * value is a 400 naming it.
 */
export function realismTagModes(clientName: string): RealismModesInput | undefined {
  const tags = [...clientName.matchAll(TAG)];
  if (tags.length === 0) return undefined;
  const modes: Record<string, unknown> = {};
  for (const tag of tags) {
    for (const pair of tag[1]!.split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      const rawKey = (eq < 0 ? pair : pair.slice(0, eq)).trim();
      const raw = eq < 0 ? '' : pair.slice(eq + 1).trim();
      const key = REALISM_MODE_NAMES.find((k) => k.toLowerCase() === rawKey.toLowerCase());
      if (!key) throw badTag(`unknown mode "${rawKey}" (modes: ${REALISM_MODE_NAMES.join(', ')})`);
      if (eq < 0 || raw === '') throw badTag(`${key} needs a value (${key}=...)`);
      const value = tagValue(key, raw);
      const parsed = realismModesSchema.safeParse({ [key]: value });
      if (value === undefined || !parsed.success) {
        const why = parsed.success ? 'not a number' : parsed.error.issues[0]!.message;
        throw badTag(`bad value "${raw}" for ${key} (${why})`);
      }
      modes[key] = value;
    }
  }
  return modes as RealismModesInput;
}

function tagValue(key: keyof RealismModes, raw: string): unknown {
  const off = /^(null|off)$/i.test(raw);
  if (NUMERIC.includes(key)) return /^\d+$/.test(raw) ? Number(raw) : undefined;
  if (key === 'maxPageSize') return off ? null : /^\d+$/.test(raw) ? Number(raw) : undefined;
  return off ? null : raw;
}

function badTag(problem: string) {
  const message = `clientName realism tag: ${problem}`;
  return circleFail(400, `Invalid request body: ${message}`, [
    { path: 'clientName', error: 'invalid_value', message },
  ]);
}

interface ApplicationChoice {
  /** The global modes if the application was drawn at its creation, else all off. */
  drawn: RealismModes;
  /** From a `[realism:...]` tag in the client name. */
  tag: RealismModesInput;
  /** Set through PUT /_sim/applications/{id}/realism (replaces the previous one). */
  override: RealismModesInput;
}

/** The global modes, the seeded draw and each application's choice. */
export class Realism {
  private current: RealismConfig;
  private random: () => number;
  private readonly applications = new Map<string, ApplicationChoice>();

  constructor(private readonly startup: RealismConfig) {
    this.current = copy(startup);
    this.random = mulberry32(startup.seed);
  }

  get config(): RealismConfig {
    return copy(this.current);
  }

  /** Partner-wide behaviour (lists, requests naming no application). */
  get global(): RealismModes {
    return this.current.modes;
  }

  /** Replace semantics: what `body` leaves out goes back to the start-up value; the draw restarts. */
  set(body: z.output<typeof realismBodySchema>): RealismConfig {
    this.current = {
      modes: withRealism(this.startup.modes, body.modes),
      share: body.share ?? this.startup.share,
      seed: body.seed ?? this.startup.seed,
    };
    this.random = mulberry32(this.current.seed);
    return this.config;
  }

  reset(): void {
    this.current = copy(this.startup);
    this.random = mulberry32(this.startup.seed);
    this.applications.clear();
  }

  /** A new application: drawn into the global modes with probability `share` (one draw each). */
  applicationCreated(applicationId: string, tag: RealismModesInput = {}): void {
    const drawn = this.random() < this.current.share;
    this.applications.set(applicationId, {
      drawn: drawn ? { ...this.current.modes } : { ...DEFAULT_REALISM_MODES },
      tag,
      override: {},
    });
  }

  /** Replaces the application's override (what it leaves out: the drawn modes and the name tag's). */
  setApplication(applicationId: string, modes: RealismModesInput): RealismModes {
    this.choice(applicationId).override = { ...modes };
    return this.forApplication(applicationId);
  }

  /** The modes that apply to one application (and to its client and its client's accounts). */
  forApplication(applicationId: string): RealismModes {
    const c = this.choice(applicationId);
    return withRealism(withRealism(c.drawn, c.tag), c.override);
  }

  /** A value set for the application itself (tag or override), else undefined: lists fall back to global. */
  explicit<K extends keyof RealismModes>(applicationId: string, key: K): RealismModes[K] | undefined {
    const c = this.applications.get(applicationId);
    if (!c) return undefined;
    return (c.override[key] ?? c.tag[key]) as RealismModes[K] | undefined;
  }

  private choice(applicationId: string): ApplicationChoice {
    let c = this.applications.get(applicationId);
    if (!c) {
      c = { drawn: { ...DEFAULT_REALISM_MODES }, tag: {}, override: {} };
      this.applications.set(applicationId, c);
    }
    return c;
  }
}

function copy(c: RealismConfig): RealismConfig {
  return { modes: { ...c.modes }, share: c.share, seed: c.seed };
}
