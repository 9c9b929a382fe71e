// Path sources: a file under the store's directory. The real path (symbolic links resolved) must lie
// inside the directory's real path before a byte is read; the size is checked on the open file, before
// reading, and the read stops at that size.
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SourceReader } from './reader';
import { describeSource, type PathSource } from './source';
import { DocumentSourceError } from './source-error';

const CHUNK_BYTES = 1024 * 1024; // checks the abort signal between chunks
// O_NOFOLLOW refuses a final symlink swapped in after realpath; O_NONBLOCK keeps a FIFO from blocking
// the open (fstat then refuses it). 0 where the platform has no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function createFileReader(dir: string | undefined): SourceReader<PathSource> {
  const root = dir === undefined ? undefined : path.resolve(dir);
  return async (source, { maxBytes, signal }) => {
    const label = `document source ${describeSource(source)}`;
    signal?.throwIfAborted();
    if (root === undefined) {
      throw new DocumentSourceError(
        'not_configured',
        `${label}: path sources need a document directory (DOCUMENT_STORE_DIR) and none is configured`,
      );
    }
    const realRoot = await fs.realpath(root).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT'
        ? new DocumentSourceError('not_configured', `${label}: the document directory ${root} does not exist`)
        : fsError(err, label);
    });
    const outside = () =>
      new DocumentSourceError('outside_store', `${label}: leads outside the document directory`);
    const target = path.resolve(realRoot, source.path);
    if (!isInside(realRoot, target)) throw outside(); // parseSource already refuses this: defence in depth
    const real = await fs.realpath(target).catch((err: NodeJS.ErrnoException) => {
      throw fsError(err, label);
    });
    if (!isInside(realRoot, real)) throw outside(); // a symbolic link pointing out

    const file = await fs.open(real, OPEN_FLAGS).catch((err: NodeJS.ErrnoException) => {
      throw fsError(err, label);
    });
    try {
      return await readAll(file, label, maxBytes, signal);
    } finally {
      await file.close();
    }
  };
}

async function readAll(
  file: fs.FileHandle,
  label: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const stat = await file.stat();
  if (!stat.isFile()) throw new DocumentSourceError('not_found', `${label}: is not a file`);
  const size = stat.size;
  if (size > maxBytes) {
    throw new DocumentSourceError('too_large', `${label}: is ${size} bytes, more than ${maxBytes}`, size);
  }
  const bytes = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    signal?.throwIfAborted();
    const length = Math.min(CHUNK_BYTES, size - offset);
    const { bytesRead } = await file.read(bytes, offset, length, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  // A file written while we read would be hashed and sent half-done: refuse it, a later try sees it whole.
  const { bytesRead: more } = await file.read(Buffer.alloc(1), 0, 1, offset);
  if (offset !== size || more !== 0) {
    throw new DocumentSourceError('unreachable', `${label}: changed while being read`);
  }
  return bytes;
}

/** True when `candidate` is strictly below `root` (both absolute). */
function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function fsError(err: NodeJS.ErrnoException, label: string): DocumentSourceError {
  switch (err.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new DocumentSourceError('not_found', `${label}: no such file in the document directory`);
    case 'ELOOP':
      return new DocumentSourceError('not_found', `${label}: a loop of symbolic links`);
    case 'ENAMETOOLONG':
      return new DocumentSourceError('invalid_source', `${label}: the path is too long for the file system`);
    default:
      // EACCES, EIO, EMFILE, ...: the environment, which an operator (or time) can fix; a later try may work.
      return new DocumentSourceError(
        'unreachable',
        `${label}: cannot be read now (${err.code ?? err.message})`,
      );
  }
}
