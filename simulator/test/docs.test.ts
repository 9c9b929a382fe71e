// docs/simulator.md quotes facts of the simulator; these checks keep the two from drifting apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentFieldsOf } from '../document-fields';
import { CLIVE_IN_PROGRESS_CODE, IN_PROGRESS_MESSAGE } from '../http';
import { ONBOARDING_NOTIFICATION_TYPES, SANDBOX_TOPIC_ARN } from '../notifications/sns-wire';
import { DOCUMENT_REJECTED_CODE } from '../wire';
import {
  AUTOMATIC_DOCUMENT_RFI,
  AUTOMATIC_RFI,
  CRYPTO_NATURES,
  DEFAULT_IDEMPOTENCY_MODES,
  DEFAULT_NOTIFICATION_RETRY_DELAYS_MS,
  DEFAULT_REALISM_MODES,
  NOTIFICATION_FAULT_MODES,
  OTHER_TOPIC_ARN,
  PARTNER_CLIENT_ID,
  STALE_AGE_MS,
  SUBSCRIPTION_LIMIT,
  DOCUMENT_INSTITUTION_TYPES,
  SECTION_NAMES,
  UPLOAD_FILE_LIMIT_BYTES,
  buildTemplate,
  exampleApplicationData,
} from '../index';
import { PAYMENTS } from './support';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'simulator.md'), 'utf8');

test('the example payload in the docs is exampleApplicationData for paymentProcessorPlatform / privateCo', () => {
  const section = doc.slice(doc.indexOf('### Valid example payloads'));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  expect(JSON.parse(block)).toEqual(exampleApplicationData(PAYMENTS));
  const crypto = exampleApplicationData({ natureOfBusiness: 'cryptoExchange', institutionType: 'privateCo' });
  const licence = (crypto.complianceProfile as { cryptoLicenseNumber: string }).cryptoLicenseNumber;
  expect(section).toContain(`"cryptoLicenseNumber": "${licence}"`);
});

test('the docs name every section, every crypto nature and the automatic RFI', () => {
  for (const name of SECTION_NAMES) expect(doc).toContain(`\`${name}\``);
  for (const nature of CRYPTO_NATURES) expect(doc).toContain(`\`${nature}\``);
  expect(doc).toContain(`\`${AUTOMATIC_RFI.type}\` on \`${AUTOMATIC_RFI.section}.${AUTOMATIC_RFI.field}\``);
  expect(doc).toContain(AUTOMATIC_RFI.comment);
});

test('the docs give the default idempotency modes and the in-progress answers', () => {
  const section = doc.slice(doc.indexOf('### Idempotency modes'));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  expect(JSON.parse(block)).toEqual({ ...DEFAULT_IDEMPOTENCY_MODES, keys: 0 });
  for (const mode of Object.keys(DEFAULT_IDEMPOTENCY_MODES)) expect(section).toContain(`| \`${mode}\``);
  expect(section).toContain(`{"code":409,"message":"${IN_PROGRESS_MESSAGE}"}`);
  expect(section).toContain(`"code":"${CLIVE_IN_PROGRESS_CODE}"`);
});

test('the docs name the document templates, their fields and limits, the document RFI and the error code', () => {
  const section = doc.slice(doc.indexOf('### Templates with documents'));
  for (const type of DOCUMENT_INSTITUTION_TYPES) expect(section).toContain(`\`${type}\``);
  const { schema } = buildTemplate({ natureOfBusiness: 'familyOffice', institutionType: 'trust' });
  for (const f of documentFieldsOf(schema)) {
    const row = section.split('\n').find((l) => l.includes(`.${f.datumName}\``));
    expect(row).toContain(`| ${f.maxSizeMb} MB`);
    expect(row).toContain(f.perEntity ? 'per owner' : f.required ? '| yes' : '| no');
    for (const t of f.documentTypes ?? []) expect(row).toContain(`\`${t}\``);
  }
  expect(doc).toContain(`"code": ${DOCUMENT_REJECTED_CODE}`);
  expect(doc).toContain(`(${UPLOAD_FILE_LIMIT_BYTES / (1024 * 1024)} MiB`);
  const { type, section: s, field, comment } = AUTOMATIC_DOCUMENT_RFI;
  expect(doc).toContain(`\`${type}\` on \`${s}.${field}\``);
  expect(doc).toContain(comment);
});

test('the docs give the notification topic, partner id, limit, retries, types and fault modes', () => {
  const section = doc.slice(doc.indexOf('## Notifications'), doc.indexOf('## Control API'));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  const example = JSON.parse(block) as { TopicArn: string; Message: string };
  expect(example.TopicArn).toBe(SANDBOX_TOPIC_ARN);
  expect(JSON.parse(example.Message)).toMatchObject({ clientId: PARTNER_CLIENT_ID, version: 1 });
  expect(section).toContain(`\`${PARTNER_CLIENT_ID}\``);
  expect(section).toContain(`at most ${SUBSCRIPTION_LIMIT} subscriptions`);
  expect(section).toContain(
    `\`${JSON.stringify(DEFAULT_NOTIFICATION_RETRY_DELAYS_MS).replaceAll(',', ', ')}\``,
  );
  expect(section).toContain(OTHER_TOPIC_ARN);
  // The docs say it in words.
  expect(STALE_AGE_MS).toBe(2 * 60 * 60 * 1000);
  expect(section).toContain('`Timestamp` two hours in the past');
  for (const type of ONBOARDING_NOTIFICATION_TYPES) expect(section).toContain(`| \`${type}\``);
  for (const mode of NOTIFICATION_FAULT_MODES) expect(section).toContain(`| \`${mode}\``);
});

test('the docs give the default realism modes, a row per mode and the realism control routes', () => {
  const section = doc.slice(doc.indexOf('### Realism modes'), doc.indexOf('## curl examples'));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  expect(JSON.parse(block)).toEqual({ modes: DEFAULT_REALISM_MODES, share: 1, seed: 1 });
  for (const mode of Object.keys(DEFAULT_REALISM_MODES)) expect(section).toContain(`| \`${mode}\``);
  expect(section).toContain('SIM_REALISM');
  for (const route of ['`/_sim/realism`', '`/_sim/applications/{id}/realism`']) expect(doc).toContain(route);
});
