// A file's type from its first bytes (magic numbers), never from its name or declared content type:
// the one rule Circle applies to uploads, checked by the worker before uploading.
// Five signatures are all the rule needs; a general detector would add an ESM-only dependency.

/** The families Circle tells apart. Office files are told apart as families only (ZIP-based / OLE2). */
export type FileKind = 'pdf' | 'jpeg' | 'png' | 'ooxml' | 'ole2';

const SIGNATURES: readonly { kind: FileKind; bytes: readonly number[] }[] = [
  { kind: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'ooxml', bytes: [0x50, 0x4b, 0x03, 0x04] }, // PK\3\4: a ZIP container (docx, xlsx, pptx)
  { kind: 'ole2', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] }, // doc, xls, ppt
];

/** The longest signature: how many leading bytes detection needs. */
export const SIGNATURE_BYTES = Math.max(...SIGNATURES.map((s) => s.bytes.length));

export function detectFileKind(bytes: Uint8Array): FileKind | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.kind;
}
