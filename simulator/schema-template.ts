// The onboarding application's JSON Schema (draft 2020-12), generated deterministically from the
// client's natureOfBusiness / institutionType and from any NEW_FIELD / COLLECT_DOCUMENT RFIs issued to
// the application. Conditionals are described once (`CONDITIONALS`) and turned both into `if`/`then`
// blocks and into the code that decides section visibility and `resolved=true` pruning, so the two
// cannot disagree. File fields (`x-fileUpload`) are satisfied by uploaded documents, never by data.
import type { InstitutionType, NatureOfBusiness } from './circle-enums';
import { DEFAULT_FILE_RULES } from './file-rules';

export type JsonSchema = Record<string, unknown>;
export type SectionKind = 'SINGLE' | 'MULTIPLE';

export interface TemplateProfile {
  natureOfBusiness: NatureOfBusiness;
  institutionType: InstitutionType;
}

/** `section.field`: a field of a flat section. */
export interface FieldRef {
  section: string;
  field: string;
}

/**
 * A field compliance asked for with an RFI; from then on the schema requires it. `data` (NEW_FIELD): a
 * text field when it did not exist. `document` (COLLECT_DOCUMENT): a file field when it did not exist.
 */
export interface RequestedField extends FieldRef {
  kind: 'data' | 'document';
}

/** `section.field` (a flat-section field) holds one of `values`. */
export interface Condition {
  section: string;
  field: string;
  values: readonly (string | boolean)[];
}

export interface Conditional {
  description: string;
  when: Condition;
  /** A whole section that exists only while the condition holds. */
  section?: string;
  /** Fields (`section.field`) that the condition makes required. */
  requires?: FieldRef[];
}

export interface Template {
  key: string;
  profile: TemplateProfile;
  schema: JsonSchema;
  sections: readonly { name: string; kind: SectionKind }[];
  conditionals: readonly Conditional[];
  /** Fields the server fills from the client record (read-only for the partner). */
  prefilled: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Natures of business treated as crypto businesses: their compliance profile needs a licence number. */
export const CRYPTO_NATURES: readonly NatureOfBusiness[] = [
  'cryptoATM',
  'cryptoCustodian',
  'cryptoExchange',
  'cryptoInvesting',
  'cryptoSoftwareProvider',
  'dexAdmin',
  'miningPool',
  'nftMarketplace',
  'otherCryptoServices',
  'stakingServices',
  'tokenProject',
];

/**
 * Institution types with no company-register entry Circle can check: their templates ask for documents
 * (formation document, government IDs, optionally an AML policy). privateCo / publicCo ask for none.
 */
export const DOCUMENT_INSTITUTION_TYPES: readonly InstitutionType[] = [
  'trust',
  'foundation',
  'partnership',
  'associationOrConsortium',
  'coop',
  'soleTrader',
  'governmentBody',
];

export const SECTION_NAMES = [
  'basicBusinessInfo',
  'businessAddress',
  'authorizedRepresentative',
  'complianceProfile',
  'beneficialOwners',
] as const;

const CONDITIONALS: readonly Conditional[] = [
  {
    description: 'Crypto businesses must give their crypto licence number.',
    when: { section: 'basicBusinessInfo', field: 'natureOfBusiness', values: CRYPTO_NATURES },
    requires: [{ section: 'complianceProfile', field: 'cryptoLicenseNumber' }],
  },
  {
    description: 'Public companies must give their ticker symbol.',
    when: { section: 'basicBusinessInfo', field: 'institutionType', values: ['publicCo'] },
    requires: [{ section: 'basicBusinessInfo', field: 'tickerSymbol' }],
  },
  {
    description: 'The beneficialOwners section applies when basicBusinessInfo.beneficialOwnersExist is true.',
    when: { section: 'basicBusinessInfo', field: 'beneficialOwnersExist', values: [true] },
    section: 'beneficialOwners',
  },
];

const COUNTRY = { $ref: '#/$defs/countryCode' };
const DATE = { type: 'string', format: 'date' };
const EMAIL = { type: 'string', format: 'email', maxLength: 254 };
const PHONE = { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, e.g. +14155550100' };
const text = (minLength: number, maxLength: number, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  minLength,
  maxLength,
  ...extra,
});
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9 ./-]*$';

const PDF_OR_IMAGE = ['application/pdf', 'image/jpeg', 'image/png'];
/** A file field: its value is the documentId of an upload (`POST .../documents`), never section data. */
const file = (title: string, acceptedTypes: string[], maxSizeMb: number, extra: JsonSchema = {}) => ({
  type: 'string',
  title,
  'x-fileUpload': { acceptedTypes, maxSizeMb },
  ...extra,
});
const GOVERNMENT_ID = (title: string) =>
  file(title, PDF_OR_IMAGE, 5, { 'x-documentTypes': ['passport', 'usdl', 'usid'] });

/** What holds a section's fields: the flat section itself, or the `items` of an array section. */
type FieldHolder = { properties: JsonSchema; required: string[] };

/** The document fields of a template, by section (empty for institution types Circle can look up). */
function documentFields(p: TemplateProfile): Record<string, FieldHolder> {
  if (!DOCUMENT_INSTITUTION_TYPES.includes(p.institutionType)) return {};
  return {
    basicBusinessInfo: {
      properties: {
        formationDocument: file(
          'Certificate of incorporation, trust deed or partnership agreement',
          PDF_OR_IMAGE,
          10,
        ),
      },
      required: ['formationDocument'],
    },
    authorizedRepresentative: {
      properties: { authorizedRepGovernmentId: GOVERNMENT_ID("Authorized representative's government ID") },
      required: ['authorizedRepGovernmentId'],
    },
    beneficialOwners: {
      properties: { beneficialOwnerGovernmentId: GOVERNMENT_ID("Beneficial owner's government ID") },
      required: ['beneficialOwnerGovernmentId'],
    },
    complianceProfile: {
      properties: {
        amlPolicyDocument: file(
          'AML policy',
          [
            'application/pdf',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            'application/msword',
          ],
          10,
        ),
      },
      required: [],
    },
  };
}

const holderOf = (section: JsonSchema): FieldHolder =>
  (section.type === 'array' ? section.items : section) as FieldHolder;

function flat(title: string, properties: JsonSchema, required: string[]): JsonSchema {
  return {
    type: 'object',
    title,
    'x-sectionKind': 'SINGLE',
    properties,
    required,
    additionalProperties: false,
  };
}

function baseSections(p: TemplateProfile): Record<string, JsonSchema> {
  return {
    basicBusinessInfo: flat(
      'Basic business information',
      {
        natureOfBusiness: { type: 'string', const: p.natureOfBusiness, readOnly: true, 'x-prefilled': true },
        institutionType: { type: 'string', const: p.institutionType, readOnly: true, 'x-prefilled': true },
        legalName: text(2, 200),
        doingBusinessAs: text(1, 200),
        registrationNumber: text(2, 50, { pattern: ID_PATTERN }),
        incorporationDate: DATE,
        incorporationCountry: COUNTRY,
        website: { type: 'string', format: 'uri', pattern: '^https://', maxLength: 2048 },
        email: EMAIL,
        phoneNumber: PHONE,
        beneficialOwnersExist: { type: 'boolean' },
        tickerSymbol: { type: 'string', pattern: '^[A-Z]{1,5}$' },
      },
      [
        'legalName',
        'registrationNumber',
        'incorporationDate',
        'incorporationCountry',
        'website',
        'email',
        'phoneNumber',
        'beneficialOwnersExist',
      ],
    ),
    businessAddress: flat(
      'Registered business address',
      {
        line1: text(1, 100),
        line2: text(1, 100),
        city: text(1, 60),
        district: text(1, 60),
        postalCode: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$' },
        country: COUNTRY,
      },
      ['line1', 'city', 'postalCode', 'country'],
    ),
    authorizedRepresentative: flat(
      'Authorized representative',
      {
        firstName: text(1, 100),
        lastName: text(1, 100),
        jobTitle: text(2, 100),
        email: EMAIL,
        dateOfBirth: DATE,
        phoneNumber: PHONE,
      },
      ['firstName', 'lastName', 'jobTitle', 'email', 'dateOfBirth'],
    ),
    complianceProfile: flat(
      'Compliance profile',
      {
        sourceOfFunds: { enum: ['operatingRevenue', 'investorCapital', 'loans', 'donations', 'other'] },
        expectedMonthlyVolumeUsd: { enum: ['under100k', 'from100kTo1m', 'from1mTo10m', 'over10m'] },
        accountPurpose: { enum: ['treasury', 'payments', 'trading', 'custody', 'other'] },
        amlProgramInPlace: { type: 'boolean' },
        cryptoLicenseNumber: text(3, 64, { pattern: ID_PATTERN }),
      },
      ['sourceOfFunds', 'expectedMonthlyVolumeUsd', 'accountPurpose', 'amlProgramInPlace'],
    ),
    beneficialOwners: {
      type: 'array',
      title: 'Beneficial owners (25% or more)',
      'x-sectionKind': 'MULTIPLE',
      minItems: 1,
      maxItems: 4,
      items: {
        type: 'object',
        properties: {
          refId: { type: 'string', format: 'uuid', readOnly: true, 'x-serverAssigned': true },
          firstName: text(1, 100),
          lastName: text(1, 100),
          dateOfBirth: DATE,
          nationality: COUNTRY,
          ownershipPercentage: { type: 'number', minimum: 25, maximum: 100 },
          email: EMAIL,
        },
        required: ['firstName', 'lastName', 'dateOfBirth', 'nationality', 'ownershipPercentage'],
        additionalProperties: false,
      },
    },
  };
}

function ifSchema(c: Condition): JsonSchema {
  const test = c.values.length === 1 ? { const: c.values[0] } : { enum: [...c.values] };
  return {
    properties: { [c.section]: { properties: { [c.field]: test }, required: [c.field] } },
    required: [c.section],
  };
}

function thenSchema(c: Conditional): JsonSchema {
  if (c.section) return { required: [c.section] };
  const bySection = new Map<string, string[]>();
  for (const r of c.requires ?? []) bySection.set(r.section, [...(bySection.get(r.section) ?? []), r.field]);
  return { properties: Object.fromEntries([...bySection].map(([s, fields]) => [s, { required: fields }])) };
}

export function templateKey(profile: TemplateProfile, requested: readonly RequestedField[]): string {
  const extra = requested.map((r) => `${r.section}.${r.field}:${r.kind}`).sort();
  return [profile.natureOfBusiness, profile.institutionType, ...extra].join('|');
}

/** A field added by an RFI: free text (NEW_FIELD) or a document with the default file rules. */
function requestedProperty(r: RequestedField): JsonSchema {
  if (r.kind === 'data') return { ...text(1, 1000), 'x-rfi': 'NEW_FIELD' };
  const { acceptedTypes, maxSizeMb } = DEFAULT_FILE_RULES;
  return file(`Document requested by compliance: ${r.field}`, [...acceptedTypes], maxSizeMb, {
    'x-rfi': 'COLLECT_DOCUMENT',
  });
}

/** Pure and deterministic: the same profile and requested fields always give the same document. */
export function buildTemplate(profile: TemplateProfile, requested: readonly RequestedField[] = []): Template {
  const properties = baseSections(profile);
  for (const [name, extra] of Object.entries(documentFields(profile))) {
    const holder = holderOf(properties[name]!);
    Object.assign(holder.properties, extra.properties);
    holder.required.push(...extra.required);
  }
  for (const r of requested) {
    const section = properties[r.section] as FieldHolder | undefined;
    if (!section?.properties) continue;
    if (!Object.hasOwn(section.properties, r.field)) section.properties[r.field] = requestedProperty(r);
    if (!section.required.includes(r.field)) section.required.push(r.field);
  }
  const conditionalSections = new Set(CONDITIONALS.flatMap((c) => (c.section ? [c.section] : [])));
  const schema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Business onboarding application',
    'x-template': { ...profile, version: '2026-04-15' },
    type: 'object',
    $defs: { countryCode: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' } },
    properties,
    required: SECTION_NAMES.filter((s) => !conditionalSections.has(s)),
    additionalProperties: false,
    allOf: CONDITIONALS.map((c) => ({ $comment: c.description, if: ifSchema(c.when), then: thenSchema(c) })),
  };
  return {
    key: templateKey(profile, requested),
    profile,
    schema,
    sections: SECTION_NAMES.map((name) => ({
      name,
      kind: (properties[name]?.['x-sectionKind'] as SectionKind | undefined) ?? 'SINGLE',
    })),
    conditionals: CONDITIONALS,
    prefilled: {
      basicBusinessInfo: {
        natureOfBusiness: profile.natureOfBusiness,
        institutionType: profile.institutionType,
      },
    },
  };
}

/** true / false when the controlling field is known; undefined while it has not been saved. */
export function conditionHolds(c: Condition, doc: Readonly<Record<string, unknown>>): boolean | undefined {
  const section = doc[c.section];
  const value =
    section && typeof section === 'object' ? (section as Record<string, unknown>)[c.field] : undefined;
  return value === undefined ? undefined : c.values.includes(value as string | boolean);
}

/** Sections shown to the partner: the unconditional ones plus those whose condition holds. */
export function visibleSections(t: Template, doc: Readonly<Record<string, unknown>>): string[] {
  const hidden = new Set(
    t.conditionals.flatMap((c) => (c.section && conditionHolds(c.when, doc) !== true ? [c.section] : [])),
  );
  return t.sections.map((s) => s.name).filter((name) => !hidden.has(name));
}

/**
 * `resolved=true`: drops conditionals (and the sections/fields only they use) whose controlling field is
 * saved and does not match. Branches whose controlling field is not saved yet are kept.
 */
export function resolveSchema(t: Template, doc: Readonly<Record<string, unknown>>): JsonSchema {
  const schema = structuredClone(t.schema);
  const properties = schema.properties as Record<string, { properties?: Record<string, unknown> }>;
  const kept: unknown[] = [];
  t.conditionals.forEach((c, i) => {
    if (conditionHolds(c.when, doc) !== false) {
      kept.push((schema.allOf as unknown[])[i]);
      return;
    }
    if (c.section) delete properties[c.section];
    for (const r of c.requires ?? []) delete properties[r.section]?.properties?.[r.field];
  });
  schema.allOf = kept;
  schema['x-resolved'] = true;
  return schema;
}
