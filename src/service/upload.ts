// Stores an uploaded file in the document store directory, where workers read documents by reference.
// The bytes are streamed to a temporary file while hashed, then renamed to a content-addressed path
// (`service-uploads/<sha256>/<file name>`): a retry of the same upload lands on the same path, and a
// half-written file is never visible under it. Only the relative path travels on to the workflow.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const UPLOAD_FOLDER = 'service-uploads';
/** Inside the store (same file system, so the rename is atomic), under a name no reference can use. */
const INCOMING = '.incoming';

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
  const incoming = join(dir, UPLOAD_FOLDER, INCOMING);
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

/** The document source (relative to the store) of a file with this hash and name. */
export const uploadSource = (sha256: string, fileName: string) => `${UPLOAD_FOLDER}/${sha256}/${fileName}`;

/** Moves a staged file to its content-addressed place; returns its source path. */
export async function commitUpload(dir: string, staged: Staged, fileName: string): Promise<string> {
  await mkdir(join(dir, UPLOAD_FOLDER, staged.sha256), { recursive: true });
  const source = uploadSource(staged.sha256, fileName);
  await rename(staged.tempPath, join(dir, ...source.split('/')));
  return source;
}

export const discardUpload = (staged: Staged) => rm(staged.tempPath, { force: true });
