// docs/simulator*.md quote facts of the simulator; these checks keep the pages and the code from drifting apart.
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

const page = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');
/** The user's page: running it, the control API and its modes. */
const doc = page('simulator.md');
/** The Circle and Clive API it serves, route by route. */
const api = page('simulator-api.md');
/** The SNS notifications it sends. */
const notifications = page('simulator-notifications.md');

/** The part of `text` under `heading`, up to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}`);
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const next = new RegExp(`\\n#{1,${level}} `, 'g');
  next.lastIndex = start + 1;
  const end = next.exec(text)?.index ?? text.length;
  return text.slice(start, end);
}

/** Whether `section` lists `name` as a table row or a list item of its own. */
const lists = (section: string, name: string) =>
  section.split('\n').some((l) => l.startsWith(`| \`${name}\``) || l.startsWith(`- \`${name}\``));

test('the example payload in the docs is exampleApplicationData for paymentProcessorPlatform / privateCo', () => {
  const examples = section(api, '### Valid example payloads');
  const block = /```json\n([\s\S]*?)```/.exec(examples)![1]!;
  expect(JSON.parse(block)).toEqual(exampleApplicationData(PAYMENTS));
  const crypto = exampleApplicationData({ natureOfBusiness: 'cryptoExchange', institutionType: 'privateCo' });
  const licence = (crypto.complianceProfile as { cryptoLicenseNumber: string }).cryptoLicenseNumber;
  expect(examples).toContain(`"cryptoLicenseNumber": "${licence}"`);
});

test('the docs name every section, every crypto nature and the automatic RFI', () => {
  const schema = section(api, '## The application schema');
  for (const name of SECTION_NAMES) expect(schema).toContain(`\`${name}\``);
  for (const nature of CRYPTO_NATURES) expect(schema).toContain(`\`${nature}\``);
  const automatic = `\`${AUTOMATIC_RFI.type}\` on \`${AUTOMATIC_RFI.section}.${AUTOMATIC_RFI.field}\``;
  expect(section(api, '## Submit and review')).toContain(automatic);
  expect(api).toContain(AUTOMATIC_RFI.comment);
  expect(section(doc, '### Review scenarios')).toContain(automatic);
});

test('the docs give the default idempotency modes and the in-progress answers', () => {
  const modes = section(doc, '### Idempotency modes');
  const block = /```json\n([\s\S]*?)```/.exec(modes)![1]!;
  expect(JSON.parse(block)).toEqual({ ...DEFAULT_IDEMPOTENCY_MODES, keys: 0 });
  for (const mode of Object.keys(DEFAULT_IDEMPOTENCY_MODES)) expect(lists(modes, mode)).toBe(true);
  expect(modes).toContain(`{"code":409,"message":"${IN_PROGRESS_MESSAGE}"}`);
  expect(modes).toContain(`"code":"${CLIVE_IN_PROGRESS_CODE}"`);
});

test('the docs name the document templates, their fields and limits, the document RFI and the error code', () => {
  const templates = section(api, '### Templates with documents');
  for (const type of DOCUMENT_INSTITUTION_TYPES) expect(templates).toContain(`\`${type}\``);
  const { schema } = buildTemplate({ natureOfBusiness: 'familyOffice', institutionType: 'trust' });
  for (const f of documentFieldsOf(schema)) {
    const row = templates.split('\n').find((l) => l.includes(`.${f.datumName}\``));
    expect(row).toContain(`| ${f.maxSizeMb} MB`);
    expect(row).toContain(f.perEntity ? 'per owner' : f.required ? '| yes' : '| no');
    for (const t of f.documentTypes ?? []) expect(row).toContain(`\`${t}\``);
  }
  const documents = section(api, '## Documents');
  expect(documents).toContain(`"code": ${DOCUMENT_REJECTED_CODE}`);
  expect(documents).toContain(`(${UPLOAD_FILE_LIMIT_BYTES / (1024 * 1024)} MiB`);
  const { type, section: s, field, comment } = AUTOMATIC_DOCUMENT_RFI;
  expect(section(api, '## Submit and review')).toContain(`\`${type}\` on \`${s}.${field}\``);
  expect(api).toContain(comment);
  expect(section(doc, '### Review scenarios')).toContain(`\`${type}\` on \`${s}.${field}\``);
});

test('the docs give the notification topic, partner id, limit, retries, types and fault modes', () => {
  const sent = section(notifications, '## What is sent');
  const block = /```json\n([\s\S]*?)```/.exec(sent)![1]!;
  const example = JSON.parse(block) as { TopicArn: string; Message: string };
  expect(example.TopicArn).toBe(SANDBOX_TOPIC_ARN);
  expect(JSON.parse(example.Message)).toMatchObject({ clientId: PARTNER_CLIENT_ID, version: 1 });
  expect(sent).toContain(`\`${PARTNER_CLIENT_ID}\``);
  expect(section(notifications, '## Subscriptions')).toContain(`at most ${SUBSCRIPTION_LIMIT} subscriptions`);
  expect(section(notifications, '## Delivery')).toContain(
    `\`${JSON.stringify(DEFAULT_NOTIFICATION_RETRY_DELAYS_MS).replaceAll(',', ', ')}\``,
  );
  for (const type of ONBOARDING_NOTIFICATION_TYPES) expect(sent).toContain(`| \`${type}\``);
  const faults = section(doc, '### Notification faults');
  expect(faults).toContain(OTHER_TOPIC_ARN);
  // The docs say it in words.
  expect(STALE_AGE_MS).toBe(2 * 60 * 60 * 1000);
  expect(faults).toContain('`Timestamp` two hours in the past');
  for (const mode of NOTIFICATION_FAULT_MODES) expect(lists(faults, mode)).toBe(true);
});

test('the docs give the default realism modes, a row per mode and the realism control routes', () => {
  const realism = section(doc, '### Realism modes');
  const block = /```json\n([\s\S]*?)```/.exec(realism)![1]!;
  expect(JSON.parse(block)).toEqual({ modes: DEFAULT_REALISM_MODES, share: 1, seed: 1 });
  for (const mode of Object.keys(DEFAULT_REALISM_MODES)) expect(lists(realism, mode)).toBe(true);
  expect(realism).toContain('SIM_REALISM');
  const control = section(doc, '## Control API');
  for (const route of ['/_sim/realism', '/_sim/applications/{id}/realism'])
    for (const method of ['GET', 'PUT']) expect(control).toContain(`\`${method} ${route}\``);
});
