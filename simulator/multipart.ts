// Reads a multipart/form-data upload whole (the simulator keeps documents in memory anyway): each part
// with its name and its text or file bytes, so the route can check the parts and fingerprint them for
// idempotency without the raw bytes, whose boundary changes on every request.
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError, circleFail } from './errors';

const MIB = 1024 * 1024;

/**
 * The plugin's per-file limit: 1 MiB above the largest `maxSizeMb` of any template (10), so a file over a
 * field's own limit is still read whole and reported as `too_large`; one over this one is cut off
 * (`truncated`) and reported the same way.
 */
export const UPLOAD_FILE_LIMIT_BYTES = 11 * MIB;

/** Limits handed to @fastify/multipart (busboy). Text parts are short: names, ids, codes. */
export const MULTIPART_OPTIONS = {
  limits: { fileSize: UPLOAD_FILE_LIMIT_BYTES, files: 2, fields: 16, parts: 20, fieldSize: 4096 },
  // Report an oversized file as a document problem instead of an exception mid-stream.
  throwFileSizeLimit: false,
};

export type ReceivedPart =
  | { name: string; type: 'field'; value: string; truncated: boolean }
  | { name: string; type: 'file'; bytes: Buffer; sha256: string; truncated: boolean };

export async function readParts(request: FastifyRequest): Promise<ReceivedPart[]> {
  const parts: ReceivedPart[] = [];
  try {
    for await (const part of request.parts()) parts.push(await received(part));
  } catch (err) {
    throw unreadable(err);
  }
  return parts;
}

async function received(part: MultipartFile | MultipartValue): Promise<ReceivedPart> {
  if (part.type === 'file') {
    const bytes = await part.toBuffer();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { name: part.fieldname, type: 'file', bytes, sha256, truncated: part.file.truncated };
  }
  const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
  return { name: part.fieldname, type: 'field', value, truncated: part.valueTruncated };
}

/** What identifies an upload for idempotency: every part's name and text, or its file's digest and size. */
export function uploadFingerprint(parts: readonly ReceivedPart[]): unknown {
  return parts
    .map((p) =>
      p.type === 'field'
        ? { name: p.name, value: p.value }
        : { name: p.name, sha256: p.sha256, size: p.bytes.length, truncated: p.truncated },
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// Busboy and plugin failures (malformed body, too many parts) answered in Circle's body, never as a 500.
function unreadable(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const { statusCode, message } = err as { statusCode?: unknown; message?: unknown };
  const status = typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : 400;
  const reason = typeof message === 'string' ? message : String(err);
  return status === 413
    ? circleFail(413, `Multipart body over the simulator's limits: ${reason}`)
    : circleFail(status, `Malformed multipart body: ${reason}`);
}
