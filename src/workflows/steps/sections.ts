// Step `sections`: check the data against the application's schema (once per data version), save what
// is new, upload the documents given, and wait until every visible section is complete. Problems are
// published in progress and answered by the `provideSectionData` and `provideDocuments` updates, until
// the section-data deadline.
import type { FieldError } from '../../circle/wire';
import { OnboardingFailure } from '../../contract/failures';
import { fail, failureTypeOf, fieldErrorsOf, messageOf } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { clearDeadline, deadline, isPassing, isTransient, nap, persistently } from '../waiting';
import { recordError, showApplicationStatus, showStep } from '../visibility';
import type { EntityRefIds, PreparedSections } from '../../activities';
import {
  rfiSectionsRoute,
  sectionsInOneTask,
  settlesMessages,
  syncsDocuments,
  toleratesLag,
} from '../versions';
import { syncDocuments } from './documents';

export async function completeSections(o: Onboarding): Promise<Step> {
  const end = deadline(o, 'sectionData', o.options.sectionDataDeadline);
  for (;;) {
    const version = o.progress.sectionsVersion;
    const documentsVersion = o.progress.documentsVersion;
    let reported = false;
    try {
      let prepared: Pick<PreparedSections, 'sections' | 'slots'> | undefined;
      if (o.state.checkedVersion !== version) {
        let dataErrors: FieldError[];
        if (sectionsInOneTask()) ({ errors: dataErrors, prepared } = await prepare(o));
        else dataErrors = await checkAndSave(o);
        o.state.checkedVersion = version;
        o.state.dataInvalid = dataErrors.length > 0;
        if (o.state.dataInvalid) o.progress.sectionErrors = dataErrors;
      }
      if (!o.state.dataInvalid) {
        // Statuses read with the save hold unless documents were uploaded since.
        if (syncsDocuments() && (await syncDocuments(o, prepared?.slots))) prepared = undefined;
        const sections =
          prepared?.sections ?? (await o.read('listSections', 'Read section statuses', o.applicationId));
        o.progress.sections = sections.map((s) => ({ sectionName: s.sectionName, status: s.status }));
        // An RFI targets a section: the application is past DRAFT, in an RFI round that saving
        // sections cannot answer (an operator's reset to before the submit). Its own step does.
        if (sections.some((s) => s.status === 'action_required') && rfiSectionsRoute()) return 'route';
        o.progress.sectionErrors = sections
          .filter((s) => s.status !== 'complete')
          .map((s) => incomplete(o, s.sectionName, s.status));
      }
      reported = true;
    } catch (err) {
      // Since `lagging-circle`: a 404 soon after the client was created is waited out like an outage,
      // and a 409 (the application is no longer a draft: an operator's reset, or another run moved
      // it on) sends the onboarding where the application's status says.
      if (toleratesLag() && failureTypeOf(err) === 'CircleConflict') {
        recordError(o, 'CircleConflict', messageOf(err));
        return 'route';
      }
      if (!(toleratesLag() ? isPassing(o, err, o.state.clientCreatedAt) : isTransient(err))) throw err;
      recordError(o, 'ReadUnavailable', messageOf(err));
    }
    // Updates up to this version get their reply: the state after their data was checked and saved.
    if (reported) {
      o.progress.sectionsSavedVersion = version;
      o.progress.documentsCheckedVersion = documentsVersion;
    }
    const documentsInvalid = o.progress.documentErrors.length > 0;
    // Data or documents sent while this lap saved (since `message-races`): checked and saved before
    // anything is submitted, so the submission holds the newest version and its update is answered.
    const newer =
      settlesMessages() &&
      (o.progress.sectionsVersion !== version || o.progress.documentsVersion !== documentsVersion);
    if (newer) continue;
    if (reported && o.progress.sectionErrors.length === 0 && !documentsInvalid) {
      clearDeadline(o, 'sectionData');
      return 'submit';
    }

    const waitingForDocuments = documentsInvalid || o.progress.missingDocuments.length > 0;
    showStep(o, waitingForDocuments && !o.state.dataInvalid ? 'awaiting-documents' : 'awaiting-section-data');
    const remaining = end - Date.now();
    if (remaining <= 0) {
      const errors = [...o.progress.sectionErrors, ...o.progress.documentErrors];
      throw fail(
        OnboardingFailure.SectionDataDeadlineExceeded,
        `No complete section data and documents before the deadline: ${errors.map((e) => e.message).join('; ')}`,
        errors,
      );
    }
    // Bad data or documents change only with new ones; incomplete statuses may also change at Circle,
    // so poll.
    const changed = () =>
      o.progress.sectionsVersion !== version || o.progress.documentsVersion !== documentsVersion;
    const invalid = () => o.state.dataInvalid || o.progress.documentErrors.length > 0;
    do {
      await nap(o, changed, end - Date.now());
      // Waiting for new data reads nothing else at Circle: since `lagging-circle` the application's
      // status is read after each quiet lap, so one cancelled (or moved on) at Circle meanwhile is
      // seen now, not at the section-data deadline.
      if (toleratesLag() && invalid() && !changed() && Date.now() < end && (await movedOn(o))) return 'route';
    } while (invalid() && reported && !changed() && Date.now() < end);
  }
}

/** Whether the application left DRAFT at Circle (cancelled there, or submitted by someone else). */
async function movedOn(o: Onboarding): Promise<boolean> {
  const app = await persistently(o, 'application status', () =>
    o.read('getApplication', 'Read application status', o.applicationId),
  );
  if (app.status === 'DRAFT') return false;
  showApplicationStatus(o, app.status);
  return true;
}

/** A section Circle does not show complete; when documents are what it lacks, the error says which. */
function incomplete(o: Onboarding, section: string, status: string): FieldError {
  const missing = o.progress.missingDocuments.filter((m) => m.section === section);
  if (missing.length === 0) {
    return { path: section, error: 'section_incomplete', message: `section ${section} is ${status}` };
  }
  const names = missing.map((m) =>
    m.entityIndex !== undefined ? `${m.datumName} (entity ${m.entityIndex})` : m.datumName,
  );
  return {
    path: section,
    error: 'documents_missing',
    message: `section ${section} is ${status}: documents missing (${names.join(', ')}); give them with provideDocuments`,
  };
}

/**
 * One task: schema errors of the data as it would be saved (nothing saved), or a 422 from Circle; else
 * the sections are saved and the statuses and file fields after the save come back with it.
 */
async function prepare(
  o: Onboarding,
): Promise<{ errors: FieldError[]; prepared?: Pick<PreparedSections, 'sections' | 'slots'> }> {
  const sections = o.checkedInput.sections;
  const names = o.state.unsavedSections;
  const sent = unsavedNow(o, sections);
  showStep(o, names.length ? 'saving-sections' : 'checking-sections');
  const mode = o.options.saveMode;
  let result: PreparedSections;
  try {
    result = await o.call(
      'prepareSections',
      names.length ? `Check and save ${names.length} section(s) (${mode})` : 'Check section data',
      o.applicationId,
      sections,
      names,
      mode,
    );
  } catch (err) {
    return { errors: refused(o, err) };
  }
  if (result.errors.length) return { errors: result.errors };
  saved(o, sections, sent, result.refIds);
  return { errors: [], prepared: result };
}

/** Schema errors of the data as it would be saved, or a 422 from Circle; empty once saved. */
async function checkAndSave(o: Onboarding): Promise<FieldError[]> {
  showStep(o, 'checking-sections');
  const sections = o.checkedInput.sections;
  const errors = await o.call(
    'checkSections',
    'Check section data against the schema',
    o.applicationId,
    sections,
  );
  if (errors.length || o.state.unsavedSections.length === 0) return errors;
  showStep(o, 'saving-sections');
  const names = o.state.unsavedSections;
  const payload = unsavedNow(o, sections);
  const mode = o.options.saveMode;
  let refIds: EntityRefIds;
  try {
    refIds = await o.call(
      'saveSections',
      `Save ${names.length} section(s) (${mode})`,
      o.applicationId,
      payload,
      mode,
    );
  } catch (err) {
    return refused(o, err);
  }
  saved(o, sections, payload, refIds);
  return [];
}

/** The sections not saved yet, as they are now: what a save sends. */
function unsavedNow(o: Onboarding, sections: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    o.state.unsavedSections.filter((n) => n in sections).map((n) => [n, sections[n]]),
  );
}

/** After a save: the entities' refIds, and what the save carried is saved. */
function saved(
  o: Onboarding,
  sections: Record<string, unknown>,
  sent: Record<string, unknown>,
  refIds: EntityRefIds,
): void {
  o.progress.entities = { ...o.progress.entities, ...refIds };
  // Only what this save carried is saved: a section an update replaced meanwhile stays unsaved.
  o.state.unsavedSections = o.state.unsavedSections.filter((n) => sections[n] !== sent[n]);
}

/** A save Circle refused (422): its per-field errors, recorded. Any other failure is thrown. */
function refused(o: Onboarding, err: unknown): FieldError[] {
  if (failureTypeOf(err) !== 'CircleValidationFailed') throw err;
  recordError(o, 'CircleValidationFailed', messageOf(err));
  return fieldErrorsOf(err);
}
