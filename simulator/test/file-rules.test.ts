// Circle's document file rules as the reference states them (§10.3): defaults when a field has no
// `x-fileUpload`, the type judged from magic bytes (PDF, JPEG, PNG, ZIP/Office Open XML, OLE2), office
// formats accepted only where the field lists them, `unrecognized_type` / `too_large`, and file names
// with `/` and `\` stripped and trimmed, quotes refused.
import { detectFileKind, kindOfMimeType } from '../file-kind';
import {
  DEFAULT_FILE_RULES,
  documentProblems,
  fileRulesOf,
  sanitizeFileName,
  type FileFieldRules,
} from '../file-rules';

const bytes = (...b: number[]) => Uint8Array.from([...b, 0x00, 0x01, 0x02]);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

test.each([
  ['pdf', ascii('%PDF-1.7\n')],
  ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0)],
  ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
  ['ooxml', bytes(0x50, 0x4b, 0x03, 0x04)],
  ['ole2', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)],
])('magic bytes: %s', (kind, file) => {
  expect(detectFileKind(file)).toBe(kind);
});

test.each([
  ['text', ascii('hello, %PDF-')],
  ['a cut-off signature', bytes(0x89, 0x50, 0x4e)],
  ['GIF', ascii('GIF89a')],
  ['an empty file', new Uint8Array()],
])('no match: %s', (_name, file) => {
  expect(detectFileKind(file)).toBeUndefined();
});

test('MIME types name families; office types are the two containers', () => {
  expect(kindOfMimeType('application/pdf')).toBe('pdf');
  expect(kindOfMimeType('IMAGE/JPEG')).toBe('jpeg');
  expect(kindOfMimeType('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
    'ooxml',
  );
  expect(kindOfMimeType('application/msword')).toBe('ole2');
  expect(kindOfMimeType('image/gif')).toBeUndefined();
});

test('defaults: PDF, JPEG, PNG up to 10 MB', () => {
  expect(DEFAULT_FILE_RULES).toEqual({
    acceptedTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    maxSizeMb: 10,
  });
  expect(fileRulesOf({ type: 'string' })).toEqual(DEFAULT_FILE_RULES);
  expect(fileRulesOf({ 'x-fileUpload': { maxSizeMb: 5 } })).toEqual({ ...DEFAULT_FILE_RULES, maxSizeMb: 5 });
});

describe('problems of an upload', () => {
  const field: FileFieldRules = { ...fileRulesOf({}) };
  const ok = { kind: 'pdf' as const, size: 1000, fileName: 'deed.pdf' };
  const codes = (f: FileFieldRules, facts: Parameters<typeof documentProblems>[1]) =>
    documentProblems(f, facts).map((p) => `${p.field}:${p.code}`);

  test('none for an accepted file', () => {
    expect(codes(field, ok)).toEqual([]);
  });

  test('office formats pass only where the field lists them', () => {
    expect(codes(field, { ...ok, kind: 'ooxml' })).toEqual(['fileContent:unrecognized_type']);
    const word = { ...field, acceptedTypes: ['application/pdf', 'application/msword'] };
    expect(codes(word, { ...ok, kind: 'ole2' })).toEqual([]);
  });

  test('no match: unrecognized_type; too big: too_large', () => {
    expect(codes(field, { ...ok, kind: undefined })).toEqual(['fileContent:unrecognized_type']);
    expect(codes(field, { ...ok, size: 10 * 1024 * 1024 + 1 })).toEqual(['fileContent:too_large']);
  });

  test('file names: / and \\ stripped, trimmed; quotes fail the character check', () => {
    expect(sanitizeFileName('  scans/2024\\deed (signed).pdf ')).toBe('scans2024deed (signed).pdf');
    expect(codes(field, { ...ok, fileName: ' a/b.pdf ' })).toEqual([]);
    expect(codes(field, { ...ok, fileName: 'deed".pdf' })).toEqual(['fileName:invalid_file_name']);
    expect(codes(field, { ...ok, fileName: "o'brien.pdf" })).toEqual(['fileName:invalid_file_name']);
  });

  test('documentType where the field lists x-documentTypes; issuedCountry for identity documents', () => {
    const id = { ...field, documentTypes: ['passport', 'usdl', 'usid'] };
    expect(codes(id, ok)).toEqual(['documentType:required', 'issuedCountry:required']);
    expect(codes(id, { ...ok, documentType: 'passport', issuedCountry: 'US' })).toEqual([]);
    expect(codes(field, { ...ok, documentType: 'anything' })).toEqual([]);
  });
});
