// How the routes answer under the realism modes (realism.ts). Writes, submits and validation always see
// the true records; only what GETs (and the account create response) show is changed here.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { SimContext } from './context';
import type { RealismModes } from './realism';
import { SnapshotHistory } from './realism-history';
import { sectionData, sectionStatuses } from './sections';
import type { AccountRecord, ApplicationRecord, ClientRecord } from './state';
import { accountView, applicationView, bundleView } from './views';

type ApplicationView = ReturnType<typeof applicationView>;
type SectionView = { sectionName: string; status: string; data?: unknown };
type BundleView = ReturnType<typeof bundleView>;
type AccountView = ReturnType<typeof accountView>;

interface ApplicationSnapshot {
  application: ApplicationView;
  sections: SectionView[];
  bundles: BundleView[];
}

/** Statuses during which `unknownApplicationStatus` replaces the real one (local: no import from src). */
const REVIEW_STATUSES: readonly string[] = ['SUBMITTED', 'IN_REVIEW'];

/** Read-lag histories, per instance (reset with the state). */
export class RealismHistories {
  readonly applications = new Map<string, SnapshotHistory<ApplicationSnapshot>>();
  readonly accounts = new Map<string, SnapshotHistory<AccountView>>();

  clear(): void {
    this.applications.clear();
    this.accounts.clear();
  }
}

export function applicationModes(ctx: SimContext, app: ApplicationRecord): RealismModes {
  return ctx.realism.forApplication(app.applicationId);
}

export function clientModes(ctx: SimContext, client: ClientRecord): RealismModes {
  return ctx.realism.forApplication(client.applicationId);
}

/** An account of a client follows that client's application; a first-party account, the global modes. */
export function accountModes(ctx: SimContext, account: AccountRecord): RealismModes {
  const applicationId = accountApplicationId(ctx, account);
  return applicationId ? ctx.realism.forApplication(applicationId) : ctx.realism.global;
}

function accountApplicationId(ctx: SimContext, account: AccountRecord): string | undefined {
  return account.clientEntityId ? ctx.state.clients.get(account.clientEntityId)?.applicationId : undefined;
}

/** `notFoundAfterCreateMs`: true while a GET by id must still answer 404. */
export function hiddenAfterCreate(modes: RealismModes, createdAt: string): boolean {
  return modes.notFoundAfterCreateMs > 0 && Date.now() < Date.parse(createdAt) + modes.notFoundAfterCreateMs;
}

/**
 * `listLagMs`: true once a list may show the item. The lag is the one set for the item's application
 * (name tag or per-application override), else the global one: lists are partner-wide.
 */
export function listed(ctx: SimContext, createdAt: string, applicationId: string | undefined): boolean {
  const own = applicationId ? ctx.realism.explicit(applicationId, 'listLagMs') : undefined;
  const lag = own ?? ctx.realism.global.listLagMs;
  return lag === 0 || Date.now() >= Date.parse(createdAt) + lag;
}

export function listedAccount(ctx: SimContext, account: AccountRecord): boolean {
  return listed(ctx, account.createDate, accountApplicationId(ctx, account));
}

/** `maxPageSize` (global): the page size actually served. */
export function pageSize(ctx: SimContext, requested: number): number {
  const max = ctx.realism.global.maxPageSize;
  return max === null ? requested : Math.min(requested, max);
}

function snapshot(app: ApplicationRecord): ApplicationSnapshot {
  return {
    application: applicationView(app),
    sections: sectionStatuses(app).map((s) => ({ ...s, data: sectionData(app, s.sectionName) })),
    bundles: app.bundles.map(bundleView),
  };
}

/**
 * Records the application's current state in its history when read lag applies to it (a no-op when
 * nothing changed). The first snapshot is dated by `updatedAt`, when that state began.
 */
export function noteApplication(ctx: SimContext, app: ApplicationRecord): void {
  const lag = applicationModes(ctx, app).readLagMs;
  if (lag > 0) history(ctx, app, lag);
}

function history(ctx: SimContext, app: ApplicationRecord, lag: number) {
  const all = ctx.realismHistories.applications;
  let h = all.get(app.applicationId);
  if (!h) all.set(app.applicationId, (h = new SnapshotHistory()));
  h.record(h.empty ? Date.parse(app.updatedAt) : Date.now(), snapshot(app), lag);
  return h;
}

/** What the application's GETs see of one part: the lagged snapshot's, or the live state's. */
function seen<K extends keyof ApplicationSnapshot>(
  ctx: SimContext,
  app: ApplicationRecord,
  modes: RealismModes,
  part: K,
  live: () => ApplicationSnapshot[K],
): ApplicationSnapshot[K] {
  if (modes.readLagMs === 0) return live();
  return history(ctx, app, modes.readLagMs).at(Date.now() - modes.readLagMs)[part];
}

/** `rfiListDelayMs`: a bundle is shown once that long has passed since it was issued. */
function bundleShown(modes: RealismModes, createdAt: string): boolean {
  return modes.rfiListDelayMs === 0 || Date.now() >= Date.parse(createdAt) + modes.rfiListDelayMs;
}

/** `GET .../applications/{id}` and the items of the applications list. */
export function servedApplication(ctx: SimContext, app: ApplicationRecord): ApplicationView {
  const modes = applicationModes(ctx, app);
  const view = seen(ctx, app, modes, 'application', () => applicationView(app));
  if (modes.rfiListDelayMs > 0) {
    const hidden = new Set(
      app.bundles.filter((b) => !bundleShown(modes, b.createdAt)).map((b) => b.bundleId),
    );
    view.pendingRfis = view.pendingRfis.filter((id) => !hidden.has(id));
  }
  if (modes.unknownApplicationStatus !== null && REVIEW_STATUSES.includes(view.status)) {
    view.status = modes.unknownApplicationStatus as ApplicationView['status'];
  }
  return view;
}

/** `GET .../sections`. */
export function servedSections(ctx: SimContext, app: ApplicationRecord, includeData: boolean): SectionView[] {
  const modes = applicationModes(ctx, app);
  if (modes.readLagMs === 0) {
    const statuses = sectionStatuses(app);
    return includeData ? statuses.map((s) => ({ ...s, data: sectionData(app, s.sectionName) })) : statuses;
  }
  const sections = seen(ctx, app, modes, 'sections', () => snapshot(app).sections);
  return includeData ? sections : sections.map(({ data: _data, ...s }) => s);
}

/** `GET .../rfis`. */
export function servedBundles(ctx: SimContext, app: ApplicationRecord): BundleView[] {
  const modes = applicationModes(ctx, app);
  return seen(ctx, app, modes, 'bundles', () => app.bundles.map(bundleView)).filter((b) =>
    bundleShown(modes, b.createdAt),
  );
}

export function noteAccount(ctx: SimContext, account: AccountRecord): void {
  const lag = accountModes(ctx, account).readLagMs;
  if (lag > 0) accountHistory(ctx, account, lag);
}

function accountHistory(ctx: SimContext, account: AccountRecord, lag: number) {
  const all = ctx.realismHistories.accounts;
  let h = all.get(account.accountId);
  if (!h) all.set(account.accountId, (h = new SnapshotHistory()));
  h.record(h.empty ? Date.parse(account.createDate) : Date.now(), accountView(account), lag);
  return h;
}

/** `unknownAccountStatus` on a view (GETs and the create response). */
export function withAccountStatus(modes: RealismModes, view: AccountView): AccountView {
  if (modes.unknownAccountStatus === null || view.status !== 'pending') return view;
  return { ...view, status: modes.unknownAccountStatus as AccountView['status'] };
}

/** `GET /v1/accounts/{id}` and the items of the accounts list. */
export function servedAccount(ctx: SimContext, account: AccountRecord): AccountView {
  const modes = accountModes(ctx, account);
  const view =
    modes.readLagMs === 0
      ? accountView(account)
      : accountHistory(ctx, account, modes.readLagMs).at(Date.now() - modes.readLagMs);
  return withAccountStatus(modes, view);
}

type RealismParams = { applicationId?: string; clientEntityId?: string; accountId?: string };

/** The application a request names (by its route parameters), if any. */
function namedApplication(ctx: SimContext, request: FastifyRequest): ApplicationRecord | undefined {
  const p = (request.params ?? {}) as RealismParams;
  const { state } = ctx;
  if (p.applicationId) return state.applications.get(p.applicationId);
  if (p.clientEntityId) {
    const client = state.clients.get(p.clientEntityId);
    return client && state.applications.get(client.applicationId);
  }
  return undefined;
}

function namedAccount(ctx: SimContext, request: FastifyRequest): AccountRecord | undefined {
  const id = ((request.params ?? {}) as RealismParams).accountId;
  return id ? ctx.state.accounts.get(id) : undefined;
}

/** Before a Circle write runs: make sure the history holds the state it changes. */
export function beforeWrite(ctx: SimContext, request: FastifyRequest): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const app = namedApplication(ctx, request);
  if (app) noteApplication(ctx, app);
  const account = namedAccount(ctx, request);
  if (account) noteAccount(ctx, account);
}

/** As a Circle answer leaves: record what a write changed, then hold the answer for `latencyMs`. */
export async function beforeSend(ctx: SimContext, request: FastifyRequest): Promise<void> {
  beforeWrite(ctx, request);
  const app = namedApplication(ctx, request);
  const account = namedAccount(ctx, request);
  const modes = app ? applicationModes(ctx, app) : account ? accountModes(ctx, account) : ctx.realism.global;
  if (modes.latencyMs > 0) {
    await sleep(modes.latencyMs, undefined, { signal: ctx.closing.signal }).catch(() => undefined);
  }
}
