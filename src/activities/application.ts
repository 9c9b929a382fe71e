// Activities on the onboarding application: schema check, section saves, status reads, submit, cancel.
import { refIdsOf, withKnownRefIds } from '../circle/array-sections';
import { validateSections } from '../circle/validate-sections';
import type { CircleClient } from '../circle/client';
import type { SubmitBody } from '../circle/wire';
import type { ReportedApplicationStatus } from '../circle/enums';
import type { SectionState } from '../circle/schemas';
import type { FieldError } from '../circle/wire';
import { alsoRead, answeredNow, callOptions, checkpoint, resumed, statusAfterWrite } from './context';
import { PartnerApiError } from '../partner-api/error';
import { classified } from './failures';
import { readSlots, type DocumentSlot } from './document';
import type { CallOptions } from '../partner-api/request';
import { mergedSection } from '../contract/section-merge';

export type SaveMode = 'bulk' | 'per-section';

/** Array section name -> the refIds of its entities at Circle, in order. */
export type EntityRefIds = Record<string, string[]>;

export interface ApplicationSnapshot {
  status: ReportedApplicationStatus;
  /** When Circle answered (this worker's clock): recorded in history, so every replay judges alike. */
  answeredAt?: string;
}

/** How far `prepareSections` got: checked, the sections saved one by one, then saved with their refIds. */
interface Preparation {
  checked: boolean;
  saved: string[];
  refIds?: EntityRefIds;
}

/** What one `prepareSections` task did: the schema problems (nothing saved), or the save and after. */
export interface PreparedSections {
  errors: FieldError[];
  /** The refIds of each saved array section, in order. */
  refIds: EntityRefIds;
  /** Section statuses after the save (left out when that read failed: the workflow reads them). */
  sections?: SectionState[];
  /** File fields after the save, entities with their refIds (left out when that read failed). */
  slots?: DocumentSlot[];
}

export function createApplicationActivities(circle: CircleClient) {
  /**
   * Per-field problems of `sections` against the application's JSON Schema, as the application would
   * be after saving them: data Circle already holds (including fields it fills in itself, which
   * conditionals depend on) with `sections` laid over it.
   */
  async function check(applicationId: string, sections: Record<string, unknown>, opts: CallOptions) {
    const [schema, saved] = await Promise.all([
      circle.getSchema(applicationId, false, opts),
      circle.getData(applicationId, opts),
    ]);
    const merged: Record<string, unknown> = { ...saved };
    for (const [name, data] of Object.entries(sections)) merged[name] = mergedSection(saved[name], data);
    return validateSections(schema, merged);
  }

  /**
   * Saves sections in bulk (`PATCH /data`, all-or-nothing at Circle) or one `PUT` per section, each laid
   * over what Circle holds as the check laid it (`mergedSection`): Circle replaces a flat section with
   * what it is sent, so the fields it holds and the data leaves out are sent along. Items of array
   * sections that match entities already saved get their refIds, so a retry never duplicates; an array
   * section is the whole list, so saved entities it no longer holds are deleted at Circle.
   */
  async function save(
    applicationId: string,
    sections: Record<string, unknown>,
    mode: SaveMode,
    opts: CallOptions,
    at: Preparation = { checked: false, saved: [] },
  ): Promise<EntityRefIds> {
    const arrays = Object.keys(sections).filter((name) => Array.isArray(sections[name]));
    const saved = Object.keys(sections).length ? await circle.getData(applicationId, opts) : {};
    const payload = Object.fromEntries(
      Object.entries(sections).map(([name, data]) => [
        name,
        Array.isArray(data) ? withKnownRefIds(saved[name], data) : mergedSection(saved[name], data),
      ]),
    );
    // Statuses are read afterwards with listSections, which also sees sections this save switched on.
    if (mode === 'bulk') await circle.saveSections(applicationId, payload, opts);
    else
      for (const [name, data] of Object.entries(payload)) {
        if (at.saved.includes(name)) continue; // saved by an earlier attempt
        await circle.saveSection(applicationId, name, data, opts);
        at.saved.push(name);
        checkpoint(at);
      }
    if (!arrays.length) return {};

    for (const name of arrays) {
      const kept = new Set(refIdsOf(payload[name]));
      for (const refId of refIdsOf(saved[name]).filter((id) => !kept.has(id))) {
        await circle.deleteEntity(applicationId, name, refId, opts).catch((err: unknown) => {
          if (!(err instanceof PartnerApiError && err.status === 404)) throw err; // gone already
        });
      }
    }
    const after = await circle.getData(applicationId, opts);
    return Object.fromEntries(arrays.map((name) => [name, refIdsOf(after[name])]));
  }

  return {
    async checkSections(applicationId: string, sections: Record<string, unknown>): Promise<FieldError[]> {
      return classified(() => check(applicationId, sections, callOptions()));
    },

    /** Returns the refIds of each saved array section, in order (save). */
    async saveSections(
      applicationId: string,
      sections: Record<string, unknown>,
      mode: SaveMode,
    ): Promise<EntityRefIds> {
      return classified(() => save(applicationId, sections, mode, callOptions()));
    },

    /**
     * The sections step in one task: check the data (nothing is saved when it has problems), save the
     * sections not saved yet, then read the statuses and the file fields the saved data leads to. Safe
     * to retry: the check reads, and the save sets the same data again.
     */
    async prepareSections(
      applicationId: string,
      sections: Record<string, unknown>,
      unsaved: string[],
      mode: SaveMode,
    ): Promise<PreparedSections> {
      return classified(async () => {
        const opts = callOptions();
        // An attempt goes on after the last request that succeeded in the one before (heartbeat details).
        const at: Preparation = resumed<Preparation>() ?? { checked: false, saved: [] };
        if (!at.checked) {
          const errors = await check(applicationId, sections, opts);
          if (errors.length) return { errors, refIds: {} };
          at.checked = true;
          checkpoint(at);
        }
        const payload = Object.fromEntries(unsaved.filter((n) => n in sections).map((n) => [n, sections[n]]));
        if (unsaved.length && !at.refIds) {
          at.refIds = await save(applicationId, payload, mode, opts, at);
          checkpoint(at);
        }
        const errors: FieldError[] = [];
        const refIds = at.refIds ?? {};
        const [states, slots] = await Promise.all([
          alsoRead(() => circle.listSections(applicationId, opts)),
          alsoRead(() => readSlots(circle, applicationId, opts)),
        ]);
        return { errors, refIds, ...(states && { sections: states }), ...(slots && { slots }) };
      });
    },

    async listSections(applicationId: string): Promise<SectionState[]> {
      return classified(() => circle.listSections(applicationId, callOptions()));
    },

    async getApplication(applicationId: string): Promise<ApplicationSnapshot> {
      return classified(async () => {
        const app = await circle.getApplication(applicationId, callOptions());
        return { status: app.status, answeredAt: answeredNow() };
      });
    },

    /**
     * `POST .../submit` with the key of this submission round (a resubmit after RFIs gets a new one),
     * then the status once more: a decision taken at once saves the review its first poll.
     */
    async submitApplication(
      applicationId: string,
      body: SubmitBody,
      idempotencyKey: string,
    ): Promise<ApplicationSnapshot> {
      return classified(async () => {
        const opts = callOptions();
        const res = await circle.submit(applicationId, body, idempotencyKey, opts);
        const read = () => circle.getApplication(applicationId, opts);
        const status = await statusAfterWrite(res.status, 'SUBMITTED', read);
        return { status, answeredAt: answeredNow() };
      });
    },

    /** Compensation: cancels the application only while it is still DRAFT (Circle refuses otherwise). */
    async cancelDraftApplication(
      applicationId: string,
    ): Promise<{ cancelled: boolean; status: ReportedApplicationStatus }> {
      return classified(async () => {
        const opts = callOptions();
        const app = await circle.getApplication(applicationId, opts);
        if (app.status !== 'DRAFT') return { cancelled: app.status === 'CANCELLED', status: app.status };
        const after = await circle.cancelApplication(applicationId, opts);
        return { cancelled: true, status: after.status };
      });
    },
  };
}
