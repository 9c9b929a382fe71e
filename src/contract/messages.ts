// The messages other services send to a running onboarding (updates, signals) and the progress query.
// Zod-free: workflow code imports this, so each cached workflow does not carry its own zod schemas.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FieldError } from '../circle/wire';
import { isPlainObject } from '../shared/plain-object';
import type { DocumentReference } from './documents';
import type { DocumentProgress, MissingDocument, OnboardingProgress } from './progress';

/** Section name -> payload as the application's JSON Schema defines it (object, or array of entities). */
export type SectionsInput = Record<string, Record<string, unknown> | Record<string, unknown>[]>;

/**
 * What the HTTP service passes along with a message sent with an `Idempotency-Key`: digests keyed with
 * the id key, never the key or the body themselves. A retry (same key, same body) gets the first
 * reply again, also after continue-as-new; the same key with another body is refused
 * (`IdempotencyKeyReused`).
 */
export interface MessageRequest {
  /** The caller's key, scoped to the onboarding and the route. */
  key: string;
  /** The body the key was first used with. */
  digest: string;
}

export interface RfiAnswer {
  rfiId: string;
  request?: MessageRequest;
  /** The value(s) Circle asked for, keyed by the RFI's field name, e.g. `{ "website": "https://..." }`. */
  answer?: Record<string, unknown>;
  /** For a COLLECT_DOCUMENT RFI: the document, by reference (`datumName` defaults to the RFI's field). */
  document?: Omit<DocumentReference, 'datumName'> & { datumName?: string };
}

export interface DocumentsUpdate {
  /** Each replaces the document given before for the same field (and entity). */
  documents: DocumentReference[];
  request?: MessageRequest;
}

export interface DocumentsResult {
  /** The version this update became; the result describes the application after it was acted on. */
  version: number;
  /** Why given documents cannot be uploaded (nothing is uploaded while there are any). */
  documentErrors: FieldError[];
  /** Required documents still missing. */
  missingDocuments: MissingDocument[];
  documents: DocumentProgress[];
}

export interface SectionDataUpdate {
  /** Section name -> its data; `null` drops a section from what will be saved. */
  sections: Record<string, SectionsInput[string] | null>;
  request?: MessageRequest;
}

/**
 * Why `value` is not a sections object (section name -> object or array of objects), or undefined.
 * The same rule as `sectionsSchema` in input.ts, written without zod for update validators.
 */
export function sectionsShapeProblem(value: unknown, { allowNull = false } = {}): string | undefined {
  if (!isPlainObject(value)) return 'sections must be an object keyed by section name';
  const names = Object.keys(value);
  if (names.length === 0) return 'sections must name at least one section';
  for (const name of names) {
    const payload = value[name];
    const ok =
      isPlainObject(payload) ||
      (Array.isArray(payload) && payload.every(isPlainObject)) ||
      (allowNull && payload === null);
    if (!name || !ok) {
      return `sections.${name}: must be an object, or an array of objects${allowNull ? ', or null to drop it' : ''}`;
    }
  }
  return undefined;
}

export interface SectionDataResult {
  /** The version this update became; the result describes the application after it was saved. */
  version: number;
  /** Empty when every visible section is now complete. */
  sectionErrors: FieldError[];
  sections: OnboardingProgress['sections'];
}

export const progressQuery = defineQuery<OnboardingProgress>('progress');
/** Answers one RFI; resolves once Circle accepted it, fails (workflow unaffected) if Circle refused it. */
export const answerRfiUpdate = defineUpdate<{ rfiId: string; status: 'answered' }, [RfiAnswer]>('answerRfi');
/** Fire-and-forget variant of `answerRfi` for services that cannot wait. */
export const rfiAnsweredSignal = defineSignal<[RfiAnswer]>('rfiAnswered');
/** Adds or corrects section data; resolves with the remaining problems once it has been checked and saved. */
export const provideSectionDataUpdate = defineUpdate<SectionDataResult, [SectionDataUpdate]>(
  'provideSectionData',
);
/**
 * Gives or replaces documents; resolves once they have been checked and uploaded (or refused). While
 * the section data itself is invalid, documents wait for it: the reply shows them still `given`.
 */
export const provideDocumentsUpdate = defineUpdate<DocumentsResult, [DocumentsUpdate]>('provideDocuments');
/** Wakes status polling early, e.g. relayed from a Circle webhook; the status is always re-read. */
export const applicationStatusChangedSignal =
  defineSignal<[{ applicationId?: string; status?: string }?]>('applicationStatusChanged');
