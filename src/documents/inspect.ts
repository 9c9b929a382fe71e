// What a workflow may know of a document instead of its bytes: size, SHA-256 and kind. The activity that
// read the bytes computes this; the workflow checks the rules against it (rules.ts) and keeps the hash.
import { createHash } from 'node:crypto';
import { detectFileKind, type FileKind } from './file-type';

export interface InspectedDocument {
  size: number;
  /** Lower-case hex. */
  sha256: string;
  /** By magic number; undefined when none of the known kinds. */
  kind?: FileKind;
}

export function inspectBytes(bytes: Uint8Array): InspectedDocument {
  const kind = detectFileKind(bytes);
  return {
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(kind !== undefined && { kind }),
  };
}
