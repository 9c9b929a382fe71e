// The worker's document rules (src/documents, src/circle/document-fields) against the simulator's own
// (simulator/file-kind.ts, file-rules.ts, document-fields.ts): the same file must be judged alike on
// both sides, or the worker would upload what Circle refuses (or hold back what it accepts).
import { documentFieldsOf as simDocumentFieldsOf } from '../../simulator/document-fields';
import { detectFileKind as simDetect, kindOfMimeType as simKindOf } from '../../simulator/file-kind';
import {
  DEFAULT_FILE_RULES as SIM_DEFAULTS,
  documentProblems as simProblems,
  fileRulesOf as simFileRulesOf,
  maxBytesOf as simMaxBytesOf,
  sanitizeFileName as simSanitize,
  type UploadFacts,
} from '../../simulator/file-rules';
import { buildTemplate, DOCUMENT_INSTITUTION_TYPES } from '../../simulator';
import { documentFieldsOf } from '../../src/circle/document-fields';
import { detectFileKind } from '../../src/documents/file-type';
import {
  DEFAULT_FILE_RULES,
  documentProblems,
  fileRulesOf,
  kindOfMimeType,
  maxBytesOf,
  sanitizeFileName,
  type DocumentFieldRules,
} from '../../src/documents/rules';

const b = (...bytes: number[]) => Uint8Array.from(bytes);
const text = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const FILES: [string, Uint8Array][] = [
  ['pdf', text('%PDF-1.4\n%')],
  ['pdf without its dash', text('%PDF1.4')],
  ['jpeg', b(0xff, 0xd8, 0xff, 0xdb, 0x00)],
  ['jpeg cut short', b(0xff, 0xd8)],
  ['png', b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00)],
  ['png cut short', b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a)],
  ['zip (docx)', b(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00)],
  ['empty zip', b(0x50, 0x4b, 0x05, 0x06)],
  ['ole2 (doc)', b(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00)],
  ['gif', text('GIF89a')],
  ['text', text('hello')],
  ['empty', b()],
];

test.each(FILES)('magic bytes: %s', (_name, bytes) => {
  expect(detectFileKind(bytes)).toBe(simDetect(bytes));
});

test.each([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'Image/PNG',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/zip',
  'image/gif',
  'text/plain',
])('MIME type family: %s', (mime) => {
  expect(kindOfMimeType(mime)).toBe(simKindOf(mime));
});

test('defaults and x-fileUpload reading', () => {
  expect(DEFAULT_FILE_RULES).toEqual(SIM_DEFAULTS);
  const properties = [
    {},
    { 'x-fileUpload': { maxSizeMb: 2.5 } },
    { 'x-fileUpload': { acceptedTypes: ['application/pdf'], maxSizeMb: 0 } },
    { 'x-fileUpload': { acceptedTypes: 'application/pdf', maxSizeMb: '5' } },
    { 'x-fileUpload': null },
  ];
  for (const p of properties) {
    expect(fileRulesOf(p)).toEqual(simFileRulesOf(p));
    expect(maxBytesOf(fileRulesOf(p))).toBe(simMaxBytesOf(simFileRulesOf(p)));
  }
});

test.each([' a/b\\c.pdf ', 'plain.pdf', '\\\\', ' / '])('file name sanitising: %j', (name) => {
  expect(sanitizeFileName(name)).toBe(simSanitize(name));
});

describe('the problems of one document against one field', () => {
  const fields: DocumentFieldRules[] = [
    { ...DEFAULT_FILE_RULES, acceptedTypes: [...DEFAULT_FILE_RULES.acceptedTypes] },
    { acceptedTypes: ['application/pdf', 'application/msword'], maxSizeMb: 1 },
    {
      acceptedTypes: ['application/pdf', 'image/png'],
      maxSizeMb: 5,
      documentTypes: ['passport', 'usdl', 'usid'],
    },
    { acceptedTypes: ['application/pdf'], maxSizeMb: 5, documentTypes: ['bankStatement', 'genericDoc'] },
  ];
  const facts: UploadFacts[] = [
    { kind: 'pdf', size: 1000, fileName: 'deed.pdf' },
    { kind: undefined, size: 0, fileName: '' },
    { kind: 'png', size: 6 * 1024 * 1024, fileName: 'id".png', documentType: 'visa', issuedCountry: 'us' },
    { kind: 'ole2', size: 1024 * 1024 + 1, fileName: ' scans/policy.doc ', documentType: 'passport' },
    { kind: 'ooxml', size: 10, fileName: 'x'.repeat(256), issuedCountry: 'GB' },
    {
      kind: 'jpeg',
      size: 10,
      fileName: 'Zoë (copy) + 1, & more.jpg',
      documentType: 'genericDoc',
      issuedCountry: 'FR',
    },
  ];
  test.each(fields.flatMap((f, i) => facts.map((d, j) => [i, j, f, d] as const)))(
    'field %i, document %i',
    (_i, _j, field, doc) => {
      expect(documentProblems(field, doc)).toEqual(simProblems(field, doc));
    },
  );
});

test.each(DOCUMENT_INSTITUTION_TYPES)("file fields of the simulator's %s templates", (institutionType) => {
  const requested = [{ section: 'businessAddress', field: 'proofOfAddress', kind: 'document' as const }];
  for (const extra of [[], requested]) {
    const { schema } = buildTemplate({ natureOfBusiness: 'familyOffice', institutionType }, extra);
    expect(documentFieldsOf(schema)).toEqual(simDocumentFieldsOf(schema));
  }
});
