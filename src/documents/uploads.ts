// The upload area of the document store: files the onboarding service stored for callers, one folder
// per onboarding (`uploads/<onboarding folder>/<sha256>-<file name>`). A source in that area belongs to
// one onboarding: the service refuses another's in the requests it forwards, and the worker refuses
// it for any other workflow, so an onboarding never reads a file uploaded to another one.
// No Node built-ins: contract and workflow code may import this file.
import { isShapeIssue, parseSource } from './source';

export const UPLOADS_FOLDER = 'uploads';
/** Staged uploads, inside the area (same file system: the rename is atomic); no folder name has a dot. */
export const INCOMING_FOLDER = '.incoming';
/** Folder names stay well under file systems' 255-byte limit. */
export const MAX_UPLOAD_FOLDER_LENGTH = 200;

/**
 * The folder of an onboarding's uploads: its id with every character but `A-Z a-z 0-9 _ -` written
 * as `%XX` (so never `.`, `..` or a `/`), reversible with `onboardingIdOfFolder`. Undefined for an id
 * whose folder name would be too long (such an onboarding cannot take uploads).
 */
export function uploadFolderOf(onboardingId: string): string | undefined {
  const folder = onboardingId.replace(
    /[^A-Za-z0-9_-]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return folder.length > 0 && folder.length <= MAX_UPLOAD_FOLDER_LENGTH && /^[\x20-\x7e]*$/.test(onboardingId)
    ? folder
    : undefined;
}

/** The onboarding id of an upload folder; undefined for a name `uploadFolderOf` never gives. */
export function onboardingIdOfFolder(folder: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(folder)) return undefined;
  const id = folder.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return uploadFolderOf(id) === folder ? id : undefined;
}

/**
 * Why onboarding `onboardingId` may not read `source`: a path into the upload area outside its own
 * folder (the area's first segment is compared ignoring case, for case-insensitive file systems).
 * Undefined for anything else, URLs and sources of other shapes included (the store judges those).
 */
export function uploadOwnershipProblem(source: string, onboardingId: string): string | undefined {
  const parsed = parseSource(source);
  if (isShapeIssue(parsed) || parsed.kind !== 'path') return undefined;
  const [area, folder, ...rest] = parsed.path.split('/');
  if (area?.toLowerCase() !== UPLOADS_FOLDER) return undefined;
  if (folder !== undefined && rest.length > 0 && folder === uploadFolderOf(onboardingId)) return undefined;
  return `must not point into another onboarding's uploads (${UPLOADS_FOLDER}/<onboarding>/...): upload the file to this onboarding`;
}
