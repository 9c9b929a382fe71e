// Circle's document file rules (rules.ts) and type detection by magic number (file-type.ts).
import { detectFileKind, SIGNATURE_BYTES } from '../../src/documents/file-type';
import {
  acceptsKind,
  DEFAULT_FILE_RULES,
  documentProblems,
  fileNameProblem,
  fileRulesOf,
  isIdentityField,
  kindOfMimeType,
  maxBytesOf,
  MAX_FILE_NAME_LENGTH,
  sanitizeFileName,
  type DocumentFacts,
  type DocumentFieldRules,
} from '../../src/documents/rules';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('file kinds', () => {
  test('detected from the first bytes only', () => {
    const bytes = (...b: number[]) => Uint8Array.from([...b, 0x00, 0x41]);
    expect(detectFileKind(bytes(0x25, 0x50, 0x44, 0x46, 0x2d))).toBe('pdf');
    expect(detectFileKind(bytes(0xff, 0xd8, 0xff))).toBe('jpeg');
    expect(detectFileKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('png');
    expect(detectFileKind(bytes(0x50, 0x4b, 0x03, 0x04))).toBe('ooxml');
    expect(detectFileKind(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))).toBe('ole2');
    expect(detectFileKind(Buffer.from('%PDF'))).toBeUndefined(); // the signature needs the dash
    expect(detectFileKind(Buffer.from('hello, world'))).toBeUndefined();
    expect(detectFileKind(new Uint8Array(0))).toBeUndefined();
    expect(detectFileKind(Buffer.from('x%PDF-1.4'))).toBeUndefined(); // at the start, not anywhere
    expect(SIGNATURE_BYTES).toBe(8);
  });

  test('MIME types name families, whatever their case', () => {
    expect(kindOfMimeType('application/pdf')).toBe('pdf');
    expect(kindOfMimeType('IMAGE/JPEG')).toBe('jpeg');
    expect(kindOfMimeType('image/png')).toBe('png');
    expect(kindOfMimeType(DOCX)).toBe('ooxml');
    expect(kindOfMimeType(XLSX)).toBe('ooxml');
    expect(kindOfMimeType('application/msword')).toBe('ole2');
    expect(kindOfMimeType('application/vnd.ms-excel')).toBe('ole2');
    expect(kindOfMimeType('image/gif')).toBeUndefined();
    expect(kindOfMimeType('text/plain')).toBeUndefined();
  });

  test('the default rules accept PDF, JPEG and PNG only; office families only where listed', () => {
    expect(
      (['pdf', 'jpeg', 'png', 'ooxml', 'ole2', undefined] as const).map((k) =>
        acceptsKind(DEFAULT_FILE_RULES, k),
      ),
    ).toEqual([true, true, true, false, false, false]);
    const word = { acceptedTypes: [DOCX], maxSizeMb: 5 };
    expect([acceptsKind(word, 'ooxml'), acceptsKind(word, 'ole2'), acceptsKind(word, 'pdf')]).toEqual([
      true,
      false,
      false,
    ]);
    const legacy = { acceptedTypes: ['application/pdf', 'application/msword'], maxSizeMb: 5 };
    expect([acceptsKind(legacy, 'ole2'), acceptsKind(legacy, 'ooxml'), acceptsKind(legacy, 'pdf')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe('field rules', () => {
  test('x-fileUpload, with the defaults for what it leaves out or gets wrong', () => {
    expect(fileRulesOf({})).toEqual(DEFAULT_FILE_RULES);
    expect(fileRulesOf({ 'x-fileUpload': { acceptedTypes: ['application/pdf'], maxSizeMb: 2 } })).toEqual({
      acceptedTypes: ['application/pdf'],
      maxSizeMb: 2,
    });
    expect(fileRulesOf({ 'x-fileUpload': { acceptedTypes: ['application/pdf', 3], maxSizeMb: 0 } })).toEqual(
      DEFAULT_FILE_RULES,
    );
    expect(fileRulesOf({ 'x-fileUpload': { maxSizeMb: '5' } }).maxSizeMb).toBe(10);
    expect(fileRulesOf({ 'x-fileUpload': 'pdf' })).toEqual(DEFAULT_FILE_RULES);
    // A copy: changing it leaves the shared defaults alone.
    fileRulesOf({}).acceptedTypes.push('image/gif');
    expect(DEFAULT_FILE_RULES.acceptedTypes).toHaveLength(3);
  });

  test('sizes are in MiB', () => {
    expect(maxBytesOf({ acceptedTypes: [], maxSizeMb: 10 })).toBe(10 * 1024 * 1024);
    expect(maxBytesOf({ acceptedTypes: [], maxSizeMb: 0.5 })).toBe(512 * 1024);
  });
});

describe('file names', () => {
  test('sanitising strips slashes and backslashes, then trims', () => {
    expect(sanitizeFileName('  ../ids\\passport.pdf  ')).toBe('..idspassport.pdf');
    expect(sanitizeFileName(' / \\ ')).toBe('');
  });

  test('letters and digits of any script, spaces and . _ ( ) + , & - only; at most 255 characters', () => {
    const decomposed = 'Cafe\u0301 statement.pdf'; // "Café" as macOS file names spell it
    for (const ok of [
      'passport.pdf',
      'Reisepass Müller (1).pdf',
      '护照 2024.png',
      'a_b+c,d&e-f.jpg',
      decomposed,
      'पासपोर्ट.pdf',
    ]) {
      expect({ ok, problem: fileNameProblem(ok) }).toEqual({ ok, problem: undefined });
    }
    expect(fileNameProblem('x'.repeat(MAX_FILE_NAME_LENGTH))).toBeUndefined();
    expect(fileNameProblem('x'.repeat(MAX_FILE_NAME_LENGTH + 1))).toBe('must be at most 255 characters');
    expect(fileNameProblem('')).toBe('must not be empty');
    for (const bad of ['"quoted".pdf', "it's.pdf", 'a;b.pdf', 'a:b.pdf', 'a*.pdf', 'tab\there.pdf']) {
      expect({ bad, problem: fileNameProblem(bad) }).toEqual({
        bad,
        problem: expect.stringMatching(/may hold/),
      });
    }
  });
});

describe('documentProblems', () => {
  const field: DocumentFieldRules = { acceptedTypes: ['application/pdf', 'image/png'], maxSizeMb: 1 };
  const doc: DocumentFacts = { kind: 'pdf', size: 1000, fileName: 'statement.pdf' };
  const codes = (f: DocumentFieldRules, d: DocumentFacts) =>
    documentProblems(f, d).map((p) => `${p.field}:${p.code}`);

  test('a document that fits has no problems', () => {
    expect(documentProblems(field, doc)).toEqual([]);
  });

  test('the size limit: exactly maxSizeMb passes, one byte more is too_large, 0 bytes is empty', () => {
    expect(codes(field, { ...doc, size: 1024 * 1024 })).toEqual([]);
    expect(codes(field, { ...doc, size: 1024 * 1024 + 1 })).toEqual(['fileContent:too_large']);
    expect(codes(field, { ...doc, size: 0 })).toEqual(['fileContent:empty_file']);
  });

  test('the type is judged by the detected kind', () => {
    const [problem] = documentProblems(field, { ...doc, kind: 'jpeg' });
    expect(problem).toEqual({
      field: 'fileContent',
      code: 'unrecognized_type',
      message: 'the file is JPEG; this field accepts application/pdf, image/png',
    });
    expect(codes(field, { ...doc, kind: undefined })).toEqual(['fileContent:unrecognized_type']);
  });

  test('file names are judged after sanitising', () => {
    expect(codes(field, { ...doc, fileName: ' dir/statement.pdf ' })).toEqual([]);
    expect(codes(field, { ...doc, fileName: ' / ' })).toEqual(['fileName:invalid_file_name']);
    expect(codes(field, { ...doc, fileName: 'statement?.pdf' })).toEqual(['fileName:invalid_file_name']);
  });

  test('documentType is required and must be listed when the field lists types', () => {
    const bills: DocumentFieldRules = { ...field, documentTypes: ['utilityBill', 'bankStatement'] };
    expect(isIdentityField(bills)).toBe(false);
    expect(codes(bills, doc)).toEqual(['documentType:required']);
    expect(codes(bills, { ...doc, documentType: 'passport' })).toEqual(['documentType:invalid_value']);
    expect(codes(bills, { ...doc, documentType: 'bankStatement' })).toEqual([]); // no issuedCountry needed
    expect(codes(field, { ...doc, documentType: 'anything' })).toEqual([]); // no list: not checked
  });

  test('identity fields also need issuedCountry as an upper-case alpha-2 code', () => {
    const ids: DocumentFieldRules = { ...field, documentTypes: ['passport', 'usdl'] };
    expect(isIdentityField(ids)).toBe(true);
    expect(codes(ids, { ...doc, documentType: 'passport' })).toEqual(['issuedCountry:required']);
    for (const bad of ['us', 'USA', 'U', '']) {
      expect({ bad, codes: codes(ids, { ...doc, documentType: 'passport', issuedCountry: bad }) }).toEqual({
        bad,
        codes: ['issuedCountry:invalid_value'],
      });
    }
    expect(codes(ids, { ...doc, documentType: 'usdl', issuedCountry: 'US' })).toEqual([]);
  });

  test('every problem at once, in a stable order', () => {
    const ids: DocumentFieldRules = { ...field, documentTypes: ['passport'] };
    expect(codes(ids, { kind: undefined, size: 0, fileName: '' })).toEqual([
      'fileContent:unrecognized_type',
      'fileContent:empty_file',
      'fileName:invalid_file_name',
      'documentType:required',
      'issuedCountry:required',
    ]);
  });
});
