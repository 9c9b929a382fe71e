// Stores an uploaded file in the document store directory, where workers read documents by reference,
// in the onboarding's own folder: `uploads/<onboarding folder>/<sha256>-<file name>`
// (src/documents/uploads.ts). The bytes are streamed to a temporary file while hashed, then renamed:
// a retry of the same upload lands on the same path, and a half-written file is never visible under
// it. Only the relative path travels on to the workflow.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { INCOMING_FOLDER, UPLOADS_FOLDER } from '../documents/uploads';

export interface Staged {
  /** The temporary file; `commit` moves it, `discard` removes it. */
  tempPath: string;
  sha256: string;
  size: number;
  /** The stream stopped at the size limit. */
  truncated: boolean;
}

/** Streams `file` into a temporary file of the store, counting and hashing it. */
export async function stageUpload(dir: string, file: Readable & { truncated?: boolean }): Promise<Staged> {
  const incoming = join(dir, UPLOADS_FOLDER, INCOMING_FOLDER);
  await mkdir(incoming, { recursive: true });
  const tempPath = join(incoming, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(file, tap, createWriteStream(tempPath, { flags: 'wx', mode: 0o640 }));
  } catch (err) {
    await rm(tempPath, { force: true });
    throw err;
  }
  return { tempPath, sha256: hash.digest('hex'), size, truncated: file.truncated === true };
}

/** The document source (relative to the store) of a file of this onboarding folder, hash and name. */
export const uploadSource = (folder: string, sha256: string, fileName: string) =>
  `${UPLOADS_FOLDER}/${folder}/${sha256}-${fileName}`;

const pathOf = (dir: string, source: string) => join(dir, ...source.split('/'));

/** Bytes stored in an onboarding's folder (its quota counts them). */
export async function folderBytes(dir: string, folder: string): Promise<number> {
  const path = join(dir, UPLOADS_FOLDER, folder);
  const names = await readdir(path).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) {
    const info = await lstat(join(path, name)).catch(() => undefined);
    if (info?.isFile()) total += info.size;
  }
  return total;
}

/** Whether the store already holds this source (the same file, uploaded before). */
export const uploadExists = (dir: string, source: string) =>
  lstat(pathOf(dir, source)).then(
    () => true,
    () => false,
  );

/**
 * Moves a staged file to its place; `created` says whether this upload put it there (false: the same
 * bytes under the same name were there already, and the staged copy is dropped).
 */
export async function commitUpload(
  dir: string,
  staged: Staged,
  source: string,
): Promise<{ source: string; created: boolean }> {
  const path = pathOf(dir, source);
  if (await uploadExists(dir, source)) {
    await discardUpload(staged);
    return { source, created: false };
  }
  await mkdir(join(path, '..'), { recursive: true });
  await rename(staged.tempPath, path);
  return { source, created: true };
}

/** Removes a file this service stored (an upload the onboarding refused). */
export const removeUpload = (dir: string, source: string) => rm(pathOf(dir, source), { force: true });

export const discardUpload = (staged: Staged) => rm(staged.tempPath, { force: true });
