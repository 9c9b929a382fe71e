// A file's type from its first bytes (magic numbers), never from its name or declared content type, for
// the families Circle's document file rules tell apart (reference §10.3): PDF, JPEG, PNG, ZIP (Office
// Open XML) and OLE2 (legacy Office). Written from the formats' published signatures.

export type FileKind = 'pdf' | 'jpeg' | 'png' | 'ooxml' | 'ole2';

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** `%PDF-` */
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];
/** SOI marker then the first marker's 0xFF. */
const JPEG = [0xff, 0xd8, 0xff];
/** `\x89PNG\r\n\x1a\n` */
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** `PK\x03\x04`: a ZIP local file header, how docx, xlsx and pptx begin. */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** The OLE2 compound file header: doc, xls, ppt. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function detectFileKind(bytes: Uint8Array): FileKind | undefined {
  if (startsWith(bytes, PDF)) return 'pdf';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, ZIP)) return 'ooxml';
  if (startsWith(bytes, OLE2)) return 'ole2';
  return undefined;
}

/** The family a MIME type of `x-fileUpload.acceptedTypes` names; undefined for one no file can match. */
export function kindOfMimeType(mimeType: string): FileKind | undefined {
  const type = mimeType.toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type === 'image/jpeg') return 'jpeg';
  if (type === 'image/png') return 'png';
  if (type.startsWith('application/vnd.openxmlformats-officedocument.')) return 'ooxml';
  if (['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'].includes(type)) {
    return 'ole2';
  }
  return undefined;
}
